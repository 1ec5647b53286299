import type { FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../../src/db/client.js';
import { requireOperator } from '../../../src/modules/operators/admin-access.js';
import { createOperator, devOperatorKey, ensureDevOperator, revokeOperator } from '../../../src/modules/operators/operators.service.js';
import { errorCode, login, testApp } from '../../helper.js';

const ADMIN_KEY = 'test-admin-key-0123456789';
const ctx = testApp({ config: { JIZAN_ADMIN_KEY: ADMIN_KEY } });
const get = (url: string, authorization?: string) =>
  ctx.app.inject({ method: 'GET', url, headers: authorization ? { authorization } : {} });

describe('operator access to /admin/v1', () => {
  it('refuses a request without a key (401)', async () => {
    const res = await get('/admin/v1/audit');
    expect(res.statusCode).toBe(401);
    expect(errorCode(res)).toBe('UNAUTHENTICATED');
  });

  it('refuses a user access token with 403, telling it apart from a bad key', async () => {
    const user = await login(ctx);
    const res = await get('/admin/v1/audit', `Bearer ${user.token}`);
    expect(res.statusCode).toBe(403);
    expect(errorCode(res)).toBe('OPERATOR_ONLY');
  });

  it('refuses a made-up or malformed key (401)', async () => {
    for (const auth of ['Bearer jzk_not-a-real-key-at-all', 'Bearer wrong-admin-key-0000', 'Basic abc', 'Bearer eyJ.broken.jwt0000']) {
      const res = await get('/admin/v1/audit', auth);
      expect(res.statusCode, auth).toBe(401);
    }
  });

  it('accepts JIZAN_ADMIN_KEY and a created operator key', async () => {
    expect((await get('/admin/v1/audit', `Bearer ${ADMIN_KEY}`)).statusCode).toBe(200);
    const { key, operator } = await createOperator({ db: ctx.database.db, clock: ctx.clock }, { name: 'reader', scopes: ['read'] });
    expect(key).toMatch(/^jzk_[A-Za-z0-9_-]{43}$/);
    expect(operator.keyPrefix).toBe(key.slice(0, 10));
    expect((await get('/admin/v1/audit', `Bearer ${key}`)).statusCode).toBe(200);
  });

  it('a revoked key is 401 from then on; creating and revoking are in the audit log', async () => {
    const deps = { db: ctx.database.db, clock: ctx.clock };
    const { key, operator } = await createOperator(deps, { name: 'leaver', scopes: ['read', 'write'] });
    expect((await get('/admin/v1/audit', `Bearer ${key}`)).statusCode).toBe(200);
    await revokeOperator(deps, 'leaver');
    expect((await get('/admin/v1/audit', `Bearer ${key}`)).statusCode).toBe(401);
    await expect(revokeOperator(deps, 'leaver')).rejects.toMatchObject({ code: 'OPERATOR_NOT_FOUND' });
    const log = (await get(`/admin/v1/audit?targetType=operator&targetId=${operator.id}`, `Bearer ${ADMIN_KEY}`)).json().items;
    expect(log).toMatchObject([
      { action: 'operator.revoke', operatorName: 'pnpm admin:key', before: { revokedAt: null } },
      { action: 'operator.create', operatorName: 'pnpm admin:key', before: null, after: { name: 'leaver', scopes: ['read', 'write'] } },
    ]);
    expect(JSON.stringify(log)).not.toContain(key);
  });

  it('stores only a hash of the key', async () => {
    const { key } = await createOperator({ db: ctx.database.db, clock: ctx.clock }, { name: 'hashed', scopes: ['read'] });
    const stored = JSON.stringify(await rows(ctx.database.db, sql`select * from operators where name = 'hashed'`));
    expect(stored).not.toContain(key);
    expect(stored).not.toContain(key.slice(4));
  });

  it('refuses a second operator with the same name', async () => {
    await createOperator({ db: ctx.database.db, clock: ctx.clock }, { name: 'twice', scopes: ['read'] });
    await expect(createOperator({ db: ctx.database.db, clock: ctx.clock }, { name: 'twice', scopes: ['read'] })).rejects.toThrow(/already exists/);
  });

  it('a read key on a write route is 403 SCOPE_MISSING', async () => {
    const { key } = await createOperator({ db: ctx.database.db, clock: ctx.clock }, { name: 'reader2', scopes: ['read'] });
    const request = { headers: { authorization: `Bearer ${key}` }, operator: null } as unknown as FastifyRequest;
    const opts = { db: ctx.database.db, adminKey: null, tokens: ctx.app.deps.tokens, clock: ctx.clock };
    await expect(requireOperator(opts, 'write')(request)).rejects.toMatchObject({ code: 'SCOPE_MISSING' });
    await requireOperator(opts, 'read')(request);
    expect(request.operator).toMatchObject({ name: 'reader2', scopes: ['read'] });
  });

  it('the dev operator is seeded once with a stable key, even by two instances at once', async () => {
    const deps = { db: ctx.database.db, clock: ctx.clock };
    const secret = new TextEncoder().encode('a-dev-secret');
    const [a, b] = await Promise.all([ensureDevOperator(deps, secret), ensureDevOperator(deps, secret)]);
    expect(a).toBe(b);
    expect(a).toBe(devOperatorKey(secret));
    expect((await get('/admin/v1/audit', `Bearer ${a}`)).statusCode).toBe(200);
    expect(await rows(ctx.database.db, sql`select count(*)::int as n from operators where name = 'dev'`)).toEqual([{ n: 1 }]);
  });
});

describe('JIZAN_ADMIN_KEY in config', () => {
  it('is refused in production', async () => {
    const { loadConfig } = await import('../../../src/config.js');
    expect(() =>
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'Zq8vN2rT5wYb7mLc4Hx9Pk3Sd6Gf1Jn0EaUo', WECHAT_APP_ID: 'a', WECHAT_APP_SECRET: 'b', JIZAN_ADMIN_KEY: ADMIN_KEY }),
    ).toThrow(/JIZAN_ADMIN_KEY/);
  });
});
