import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/lib/clock.js';
import {
  dbTokenStore, redisTokenStore, WechatApiError, WechatClient, WechatUnreachableError, type TokenStore,
} from '../../../src/lib/wechat/index.js';
import { ok, type SimEndpoint } from '../../../src/sim/wechat/endpoint.js';
import { WechatSimulator } from '../../../src/sim/wechat/simulator.js';
import { createTestDatabase, type TestDatabase } from '../../helper.js';
import { boardPrefix, redisReachable, TEST_REDIS_URL, testRedis } from '../../redis.js';

// A token-protected endpoint that echoes, standing in for the real ones other files add.
const echo: SimEndpoint = { path: '/test/echo', token: true, handle: ({ body }) => ok({ echoed: body }) };

const useRedis = await redisReachable();

function clientOf(sim: WechatSimulator, store: TokenStore, timeoutMs = 2000): WechatClient {
  return new WechatClient({ ...sim.clientSettings(), store, clock: systemClock, timeoutMs });
}

describe('chat platform client', () => {
  let sim: WechatSimulator;
  let db: TestDatabase;
  let redis: Redis;
  let prefix: string;
  const stores: Record<string, () => TokenStore> = {
    database: () => dbTokenStore(db.db),
    ...(useRedis ? { redis: () => redisTokenStore(redis, prefix) } : {}),
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    if (useRedis) redis = new Redis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    await db.drop();
    if (useRedis) {
      await testRedis().dropPrefix(prefix).catch(() => {});
      redis.disconnect();
    }
  });
  beforeEach(async () => {
    await sim?.close();
    sim = new WechatSimulator({ endpoints: [echo] });
    await sim.listen();
    prefix = boardPrefix();
    await db.db.execute('delete from platform_tokens');
  });

  for (const [name, store] of Object.entries(stores)) {
    describe(`two instances sharing the token through ${name}`, () => {
      it('fetch it once and then both use it', async () => {
        const a = clientOf(sim, store());
        const b = clientOf(sim, store());
        await a.post('/test/echo', { n: 1 });
        await b.post('/test/echo', { n: 2 });
        await Promise.all([a.post('/test/echo', {}), b.post('/test/echo', {})]);
        expect(sim.count('/cgi-bin/stable_token')).toBe(1);
        expect(sim.requests.filter((r) => r.path === '/test/echo' && r.errcode === 0)).toHaveLength(4);
      });

      it('racing on an empty store, neither invalidates the other (normal mode answers both the same token)', async () => {
        const a = clientOf(sim, store());
        const b = clientOf(sim, store());
        const [ta, tb] = await Promise.all([a.accessToken(), b.accessToken()]);
        expect(ta).toBe(tb);
        await a.post('/test/echo', {});
        await b.post('/test/echo', {});
        expect(sim.requests.some((r) => r.errcode === 40001)).toBe(false);
      });

      it('a token the platform says ran out is fetched again once and the call retried, for both', async () => {
        const a = clientOf(sim, store());
        const b = clientOf(sim, store());
        const before = await a.accessToken();
        await b.accessToken();
        sim.fail({ kind: 'expire-token', path: '/test/echo' });
        const answer = await a.post<{ echoed: unknown }>('/test/echo', { x: 1 });
        expect(answer.echoed).toEqual({ x: 1 });
        expect(sim.requests.filter((r) => r.path === '/test/echo').map((r) => r.errcode)).toEqual([42001, 0]);
        const after = await a.accessToken();
        expect(after).not.toBe(before);
        // b still holds the old token locally: its first call is refused, it picks up the shared new one.
        await b.post('/test/echo', {});
        expect(await b.accessToken()).toBe(after);
        expect(sim.count('/cgi-bin/stable_token')).toBe(2);
      });
    });
  }

  it('refreshes before expiry: inside the last 5 minutes it asks and gets the next token', async () => {
    await sim.close();
    sim = new WechatSimulator({ endpoints: [echo], tokenTtlSeconds: 299 });
    await sim.listen();
    const c = clientOf(sim, dbTokenStore(db.db));
    const t1 = await c.accessToken();
    const t2 = await c.accessToken();
    // 299 s is already inside the refresh margin, so every ask goes to the platform, which hands over a new one.
    expect(sim.count('/cgi-bin/stable_token')).toBe(2);
    expect(t2).not.toBe(t1);
  });

  it('a second refusal of the token is the caller\'s error, not a loop', async () => {
    const c = clientOf(sim, dbTokenStore(db.db));
    sim.fail({ kind: 'errcode', errcode: 40001, errmsg: 'invalid credential', path: '/test/echo', times: 2 });
    const err = await c.post('/test/echo', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WechatApiError);
    expect(err).toMatchObject({ errcode: 40001, path: '/test/echo' });
    expect(sim.count('/test/echo')).toBe(2);
  });

  it('platform errors are typed with errcode and errmsg; a wrong secret is 40125', async () => {
    const c = new WechatClient({ ...sim.clientSettings(), appSecret: 'wrong', store: dbTokenStore(db.db), clock: systemClock });
    await expect(c.accessToken()).rejects.toMatchObject({ name: 'WechatApiError', errcode: 40125, errmsg: 'invalid appsecret' });
  });

  it('down, slow and 5xx are WechatUnreachableError, each within the timeout', async () => {
    const c = clientOf(sim, dbTokenStore(db.db), 300);
    await c.accessToken();
    sim.fail({ kind: 'down', path: '/test/echo' });
    await expect(c.post('/test/echo', {})).rejects.toMatchObject({ name: 'WechatUnreachableError', reason: 'network' });
    sim.fail({ kind: 'status', status: 503, path: '/test/echo' });
    await expect(c.post('/test/echo', {})).rejects.toMatchObject({ reason: 'http', status: 503 });
    sim.fail({ kind: 'slow', delayMs: 1000, path: '/test/echo' });
    const started = Date.now();
    const err = await c.post('/test/echo', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WechatUnreachableError);
    expect(err).toMatchObject({ reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(900);
  });
});

describe('simulated subscribe/send', () => {
  it('delivers a fitted message, refuses an over-long field with 47003 and a refusing user with 43101', async () => {
    const { subscribeState } = await import('../../../src/sim/wechat/subscribe.js');
    const { fitFields } = await import('../../../src/modules/notifications/template-field-rules.js');
    const { memoryTokenStore } = await import('../../../src/lib/wechat/index.js');
    const sim = new WechatSimulator();
    await sim.listen();
    const c = new WechatClient({ ...sim.clientSettings(), store: memoryTokenStore(), clock: systemClock });
    const long = '一'.repeat(30);
    await expect(c.post('/cgi-bin/message/subscribe/send', { touser: 'o1', template_id: 'T', data: { thing1: { value: long } } })).rejects.toMatchObject({
      errcode: 47003,
    });
    await c.post('/cgi-bin/message/subscribe/send', { touser: 'o1', template_id: 'T', page: 'pages/index/index', data: fitFields({ thing1: long }) });
    subscribeState(sim).refusing.add('o2');
    await expect(c.post('/cgi-bin/message/subscribe/send', { touser: 'o2', template_id: 'T', data: fitFields({ thing1: 'x' }) })).rejects.toMatchObject({
      errcode: 43101,
    });
    expect(subscribeState(sim).sent.map((m) => [m.touser, [...m.data.thing1!].length])).toEqual([['o1', 20]]);
    await sim.close();
  });
});
