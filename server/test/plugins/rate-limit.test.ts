import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { campaign, createTeam, errorCode, login, setup, share, testApp, testConfig, type TestContext } from '../helper.js';
import { redisReachable, TEST_REDIS_URL } from '../redis.js';

const ctx = testApp({
  config: {
    JIZAN_RATE_LOGIN_PER_MINUTE: '8',
    JIZAN_RATE_WRITES_PER_MINUTE: '3',
    JIZAN_RATE_WRITES_PER_IP_PER_MINUTE: '1000',
    JIZAN_RATE_OPENS_PER_MINUTE: '3',
  },
});

function expectLimited(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) {
  expect(res.statusCode).toBe(429);
  expect(errorCode(res)).toBe('RATE_LIMITED');
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
}

describe('rate limits', () => {
  it('slows down a client hammering login with 429 RATE_LIMITED and a retry hint', async () => {
    const codes = [];
    for (let i = 0; i < 10; i++) {
      const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { code: `dev:r${i}` }, remoteAddress: '127.0.0.9' });
      codes.push(res.statusCode);
      if (res.statusCode === 429) expectLimited(res);
    }
    expect(codes).toEqual([...Array(8).fill(200), 429, 429]);
    const other = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { code: 'dev:r9' }, remoteAddress: '127.0.0.10' });
    expect(other.statusCode).toBe(200);
  });

  it('does not let a client pick its own address with X-Forwarded-For when no proxy is trusted', async () => {
    const codes = [];
    for (let i = 0; i < 9; i++) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { code: `dev:xff${i}` },
        remoteAddress: '127.0.0.11',
        headers: { 'x-forwarded-for': `10.9.9.${i}` },
      });
      codes.push(res.statusCode);
    }
    expect(codes).toEqual([...Array(8).fill(200), 429]);
  });

  it('gives each user one budget over every write route together, profile edits included', async () => {
    const c = await campaign(ctx);
    const sharer = await login(ctx);
    const card = await share(sharer, c.id);
    const a = await login(ctx);
    expect((await a.post('/v1/shares', { campaignId: c.id, kind: 'like' })).statusCode).toBe(201);
    expect((await a.call({ method: 'PATCH', url: '/v1/me', payload: { nickname: '阿甲' } })).statusCode).toBe(200);
    expect((await a.post(`/v1/shares/${card}/like`)).statusCode).toBe(200);
    expectLimited(await a.post(`/v1/campaigns/${c.id}/teams`, { name: 'late' }));
    expectLimited(await a.call({ method: 'PATCH', url: '/v1/me', payload: { nickname: '阿乙' } }));
    // Another user (even behind the same address) has their own budget.
    const b = await login(ctx);
    expect((await b.post(`/v1/shares/${card}/like`)).statusCode).toBe(200);
    expect(await createTeam(b, c.id)).toBeTruthy();
  });

  it('limits anonymous card opens per address', async () => {
    const c = await campaign(ctx);
    const card = await share(await login(ctx), c.id);
    const codes = [];
    for (let i = 0; i < 4; i++) {
      codes.push((await ctx.app.inject({ method: 'GET', url: `/v1/shares/${card}`, remoteAddress: '127.0.0.12' })).statusCode);
    }
    expect(codes).toEqual([200, 200, 200, 429]);
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/shares/${card}`, remoteAddress: '127.0.0.13' })).statusCode).toBe(200);
  });
});

describe('per-address write budget, behind a trusted proxy', () => {
  const proxied = testApp({ config: { JIZAN_TRUST_PROXY: '1', JIZAN_RATE_WRITES_PER_IP_PER_MINUTE: '2', JIZAN_RATE_WRITES_PER_MINUTE: '100' } });

  it('counts every user on one client address together, and believes the one trusted hop', async () => {
    const c = await campaign(proxied);
    const users = [await login(proxied), await login(proxied), await login(proxied)];
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    expect((await users[0]!.post('/v1/shares', { campaignId: c.id, kind: 'like' }, from('203.0.113.7'))).statusCode).toBe(201);
    expect((await users[1]!.post('/v1/shares', { campaignId: c.id, kind: 'like' }, from('203.0.113.7'))).statusCode).toBe(201);
    expectLimited(await users[2]!.post('/v1/shares', { campaignId: c.id, kind: 'like' }, from('203.0.113.7')));
    expect((await users[2]!.post('/v1/shares', { campaignId: c.id, kind: 'like' }, from('203.0.113.8'))).statusCode).toBe(201);
  });
});

const REDIS_URL = TEST_REDIS_URL;

const reachable = await redisReachable();
if (!reachable) console.warn(`\n!!! SKIPPED: Redis at ${REDIS_URL} is unreachable, so limits shared across instances were NOT tested !!!\n`);

describe.skipIf(!reachable)('limits shared by two instances through Redis', () => {
  let first: TestContext;
  afterAll(async () => {
    await first?.close();
  });

  it('counts one budget for a user whichever instance their writes land on', async () => {
    // A fresh key space per run, so counters from earlier runs never interfere.
    const settings = { REDIS_URL, JIZAN_RATE_WRITES_PER_MINUTE: '3', JIZAN_RATE_LOGIN_PER_MINUTE: '1000' };
    first = await setup({ config: settings });
    const second = await buildApp({ config: testConfig(settings), database: first.database, clock: first.clock, logger: false });
    try {
      const c = await campaign(first);
      const user = await login(first, `redis-${randomBytes(4).toString('hex')}`);
      const on = (app: typeof second) => (payload: object) =>
        app.inject({ method: 'POST', url: '/v1/shares', payload, headers: { authorization: `Bearer ${user.token}` } });
      const body = { campaignId: c.id, kind: 'like' };
      expect((await on(first.app)(body)).statusCode).toBe(201);
      expect((await on(second)(body)).statusCode).toBe(201);
      expect((await on(first.app)(body)).statusCode).toBe(201);
      expectLimited(await on(second)(body));
    } finally {
      await second.close();
    }
  });
});
