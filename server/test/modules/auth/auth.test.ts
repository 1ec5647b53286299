import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wechatExchanger } from '../../../src/modules/auth/code-exchange.js';
import { issueAccessToken } from '../../../src/modules/auth/tokens.js';
import { errorCode, login, setup, testApp, type TestContext } from '../../helper.js';

/** A stand-in for the chat platform's code-to-session endpoint, on loopback. */
function fakePlatform(): Promise<{ server: Server; baseUrl: string; calls: URL[] }> {
  const calls: URL[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    calls.push(url);
    const code = url.searchParams.get('js_code');
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    if (url.pathname !== '/sns/jscode2session' || url.searchParams.get('appid') !== 'wx-app' || url.searchParams.get('secret') !== 'wx-secret') {
      return send(200, JSON.stringify({ errcode: 40013, errmsg: 'invalid appid' }));
    }
    if (code === 'good') return send(200, JSON.stringify({ openid: 'o-good', session_key: 'sk', unionid: 'u-good' }));
    if (code === 'no-union') return send(200, JSON.stringify({ openid: 'o-good', session_key: 'sk' }));
    if (code === 'used') return send(200, JSON.stringify({ errcode: 40163, errmsg: 'code been used' }));
    if (code === 'busy') return send(200, JSON.stringify({ errcode: -1, errmsg: 'system error' }));
    if (code === 'broken') return send(502, '<html>bad gateway</html>');
    if (code === 'garbage') return send(200, 'not json');
    return send(200, JSON.stringify({ errcode: 40029, errmsg: 'invalid code' }));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls }),
    ),
  );
}

describe('login with the chat platform', () => {
  let platform: Awaited<ReturnType<typeof fakePlatform>>;
  let ctx: TestContext;

  beforeAll(async () => {
    platform = await fakePlatform();
    ctx = await setup({
      config: { WECHAT_APP_ID: 'wx-app', WECHAT_APP_SECRET: 'wx-secret', WECHAT_API_BASE: platform.baseUrl },
    });
  });
  afterAll(async () => {
    await ctx.close();
    platform.server.close();
  });

  const loginWith = (code: string) => ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { code } });

  it('exchanges a good code for a token, keyed by openid, and keeps the unionid', async () => {
    const first = await loginWith('good');
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body.user.nickname).toMatch(/^集赞好友/);
    expect(body.token.split('.')).toHaveLength(3);
    const again = await loginWith('no-union');
    expect(again.json().user.id).toBe(body.user.id);
    const row = await ctx.database.db.query.users.findFirst({ where: (u, { eq }) => eq(u.openid, 'o-good') });
    expect(row?.unionid).toBe('u-good');
    expect(platform.calls.at(-1)?.searchParams.get('grant_type')).toBe('authorization_code');
  });

  it('answers 401 LOGIN_CODE_INVALID for a made-up or reused code', async () => {
    for (const code of ['made-up', 'used']) {
      const res = await loginWith(code);
      expect(res.statusCode, code).toBe(401);
      expect(errorCode(res)).toBe('LOGIN_CODE_INVALID');
    }
  });

  it('answers 503 SERVICE_UNAVAILABLE with retry-after when the platform is busy or broken', async () => {
    for (const code of ['busy', 'broken', 'garbage']) {
      const res = await loginWith(code);
      expect(res.statusCode, code).toBe(503);
      expect(errorCode(res)).toBe('SERVICE_UNAVAILABLE');
      expect(res.headers['retry-after']).toBe('1');
    }
  });

  it('answers 503 when the platform cannot be reached at all', async () => {
    const exchanger = wechatExchanger({ appId: 'wx-app', appSecret: 'wx-secret', baseUrl: 'http://127.0.0.1:1' });
    await expect(exchanger.exchange('good')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });

  it('still accepts dev codes outside production', async () => {
    const res = await loginWith('dev:alice');
    expect(res.statusCode).toBe(200);
  });
});

describe('dev logins and tokens', () => {
  const ctx = testApp();

  it('maps dev:<name> to one stable user per name', async () => {
    const a1 = await login(ctx, 'alice');
    const a2 = await login(ctx, 'Alice');
    const b = await login(ctx, 'bob');
    expect(a1.id).toBe(a2.id);
    expect(b.id).not.toBe(a1.id);
  });

  it('refuses malformed dev codes and bodies with 4xx, never 5xx', async () => {
    const cases: [unknown, number, string][] = [
      [{ code: 'dev:' }, 401, 'LOGIN_CODE_INVALID'],
      [{ code: 'dev:no spaces' }, 401, 'LOGIN_CODE_INVALID'],
      [{ code: 'not-a-dev-code' }, 401, 'LOGIN_CODE_INVALID'],
      [{}, 400, 'VALIDATION_FAILED'],
      [{ code: 42 }, 400, 'VALIDATION_FAILED'],
      [{ code: '' }, 400, 'VALIDATION_FAILED'],
      [{ code: 'x'.repeat(10_000) }, 400, 'VALIDATION_FAILED'],
      [[1, 2], 400, 'VALIDATION_FAILED'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: payload as object });
      expect(res.statusCode, JSON.stringify(payload).slice(0, 40)).toBe(status);
      expect(errorCode(res)).toBe(code);
    }
  });

  it('requires a valid, unexpired token on /v1 routes', async () => {
    const me = await login(ctx);
    expect((await me.get('/v1/me')).statusCode).toBe(200);
    const noToken = await ctx.app.inject({ method: 'GET', url: '/v1/me' });
    expect(noToken.statusCode).toBe(401);
    expect(errorCode(noToken)).toBe('UNAUTHENTICATED');
    const garbage = await ctx.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: 'Bearer not.a.jwt-at-all' } });
    expect(garbage.statusCode).toBe(401);
    const wrongScheme = await ctx.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Basic ${me.token}` } });
    expect(wrongScheme.statusCode).toBe(401);
    const expired = await issueAccessToken(ctx.app.deps.tokens, me.id, new Date(ctx.clock.now().getTime() - 30 * 24 * 3600_000));
    const old = await ctx.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${expired.token}` } });
    expect(old.statusCode).toBe(401);
    expect(old.json().error.message).toMatch(/expired/);
  });
});

describe('dev logins turned off', () => {
  const ctx = testApp({ config: { JIZAN_DEV_LOGIN: 'off' } });

  it('refuses dev codes with 403 DEV_LOGIN_DISABLED', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { code: 'dev:alice' } });
    expect(res.statusCode).toBe(403);
    expect(errorCode(res)).toBe('DEV_LOGIN_DISABLED');
  });
});
