import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { postgresBoards } from '../../../src/modules/leaderboard/leaderboard.service.js';
import { campaign, createTeam, login, share, testApp, testConfig, unique, type Client, type TestContext } from '../../helper.js';
import { boardPrefix, redisReachable, TEST_REDIS_URL, testRedis } from '../../redis.js';

const reachable = await redisReachable();
if (!reachable) console.warn(`\n!!! SKIPPED: Redis at ${TEST_REDIS_URL} is unreachable, so the boards kept in Redis were NOT tested !!!\n`);

const ADMIN_KEY = 'test-admin-key-0123456789';
const prefix = boardPrefix();

/** Reads a board as `client`, on `app` (the Redis one unless told). */
async function board(app: FastifyInstance, client: Client, campaignId: string, by: 'user' | 'team', limit = 50) {
  const res = await app.inject({ method: 'GET', url: `/v1/campaigns/${campaignId}/leaderboard?by=${by}&limit=${limit}`, headers: { authorization: `Bearer ${client.token}` } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { entries: { id: string; energy: number; rank: number }[]; me: { id: string; energy: number; rank: number; gapToPrevious: number | null } | null };
}

describe.skipIf(!reachable)('leaderboards kept in Redis sorted sets', () => {
  // The app under test ranks in Redis; `plain` is a second instance on the same database ranking on PostgreSQL alone.
  const ctx: TestContext = testApp({ config: { REDIS_URL: TEST_REDIS_URL, JIZAN_BOARD_KEY_PREFIX: prefix, JIZAN_ADMIN_KEY: ADMIN_KEY } });
  const redis = testRedis();
  let plain: FastifyInstance | null = null;
  afterAll(async () => {
    await plain?.close();
    await redis.dropPrefix(prefix);
    redis.disconnect();
  });
  const onPostgres = async () => (plain ??= await buildApp({ config: testConfig(), database: ctx.database, clock: ctx.clock, logger: false }));
  const loaded = (campaignId: string) => expect.poll(() => redis.exists(`${prefix}${campaignId}:loaded`), { timeout: 10_000 }).toBe(1);

  /** A campaign with `likes[i]` fresh friends liking sharer i (20 energy each: first likes count double), each sharer captaining a team. */
  async function world(likes: number[]) {
    const c = await campaign(ctx);
    const sharers: Client[] = [];
    for (const n of likes) {
      const sharer = await login(ctx);
      await createTeam(sharer, c.id);
      const card = await share(sharer, c.id);
      await Promise.all(Array.from({ length: n }, async () => expect((await (await login(ctx)).post(`/v1/shares/${card}/like`)).statusCode).toBe(200)));
      sharers.push(sharer);
    }
    return { c, sharers };
  }

  it('lists the top rows in the same order and ranks as PostgreSQL, ties and members without energy included', async () => {
    const { c, sharers } = await world([3, 1, 2, 2, 2, 0, 1, 0]);
    await board(ctx.app, sharers[0]!, c.id, 'user');
    await loaded(c.id);
    const pg = await onPostgres();
    for (const by of ['user', 'team'] as const) {
      expect((await board(ctx.app, sharers[0]!, c.id, by)).entries, `${by} board`).toEqual((await board(pg, sharers[0]!, c.id, by)).entries);
      // The route lists a long page (cut inside a tie only on big boards): the stores themselves, cut short.
      for (const limit of [1, 2, 3, 4, 5, 7]) {
        const fromRedis = await ctx.app.deps.boards.top(c.id, by, limit);
        expect(fromRedis, `${by} board, ${limit} rows`).toEqual(await postgresBoards(ctx.database.db).top(c.id, by, limit));
      }
    }
    expect((await board(ctx.app, sharers[0]!, c.id, 'user')).entries.map((e) => e.rank).slice(0, 6)).toEqual([1, 2, 2, 2, 5, 5]);
  });

  it('answers a board whose keys are gone from PostgreSQL, right, and loads it again', async () => {
    const { c, sharers } = await world([2, 1, 3]);
    await board(ctx.app, sharers[0]!, c.id, 'user');
    await loaded(c.id);
    await redis.del(`${prefix}${c.id}:loaded`, `${prefix}${c.id}:user`, `${prefix}${c.id}:team`);
    // Without its keys the empty set would rank everyone first; the answer must still be 2nd behind the 60.
    const me = (await board(ctx.app, sharers[0]!, c.id, 'user')).me!;
    expect(me).toMatchObject({ energy: 40, rank: 2, gapToPrevious: 20 });
    await loaded(c.id);
    expect(await redis.zscore(`${prefix}${c.id}:user`, sharers[2]!.id)).toBe('60');
    expect((await board(ctx.app, sharers[0]!, c.id, 'team')).me).toMatchObject({ energy: 40, rank: 2, gapToPrevious: 20 });
  });

  it('puts back a member whose score in Redis is wrong, on the corrector run after their next move', async () => {
    const { c, sharers } = await world([2, 1]);
    const [first, second] = sharers as [Client, Client];
    await board(ctx.app, first, c.id, 'user');
    await loaded(c.id);
    await ctx.app.deps.boards.correct(); // sets the watermark on the first run
    // Someone writes a wrong score straight into Redis: the second sharer now looks first.
    await redis.zadd(`${prefix}${c.id}:user`, 1_000, second.id);
    expect((await board(ctx.app, first, c.id, 'user')).me).toMatchObject({ energy: 40, rank: 2 });
    // A like lands for them (its write-through only raises, GT), and the corrector rewrites them as PostgreSQL has them.
    expect((await (await login(ctx)).post(`/v1/shares/${await share(second, c.id)}/like`)).statusCode).toBe(200);
    expect(await ctx.app.deps.boards.correct()).toBeGreaterThan(0);
    expect(await redis.zscore(`${prefix}${c.id}:user`, second.id)).toBe('40');
    expect((await board(ctx.app, first, c.id, 'user')).me).toMatchObject({ energy: 40, rank: 1, gapToPrevious: null });
  });

  it('drops a sharer in the ranking once an operator voids the likes a fraudster gave them', async () => {
    // S is liked by 4 accounts sharing one phone (80), T by 4 honest friends (80): they tie first.
    const c = await campaign(ctx);
    const [s, t] = [await login(ctx), await login(ctx)];
    await createTeam(s, c.id);
    await createTeam(t, c.id);
    const [sCard, tCard] = [await share(s, c.id), await share(t, c.id)];
    const phone = unique('phone');
    const fraudsters: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { code: `dev:${unique('f')}` }, headers: { 'x-device-id': phone } });
      const { token, user } = res.json() as { token: string; user: { id: string } };
      fraudsters.push(user.id);
      expect((await ctx.app.inject({ method: 'POST', url: `/v1/shares/${sCard}/like`, headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
      expect((await (await login(ctx)).post(`/v1/shares/${tCard}/like`)).statusCode).toBe(200);
    }
    await board(ctx.app, s, c.id, 'user');
    await loaded(c.id);
    expect((await board(ctx.app, s, c.id, 'user')).me).toMatchObject({ energy: 80, rank: 1 });

    const admin = (method: 'GET' | 'POST', url: string, payload?: object) =>
      ctx.app.inject({ method, url, headers: { authorization: `Bearer ${ADMIN_KEY}` }, ...(payload ? { payload } : {}) });
    expect((await admin('POST', '/admin/v1/fraud/scan', { campaignId: c.id })).statusCode).toBe(200);
    const flags = (await admin('GET', '/admin/v1/fraud/flags?status=open&kind=shared_device&limit=100')).json().items as { id: number; userId: string }[];
    const flag = flags.find((f) => f.userId === fraudsters[0])!;
    expect((await admin('POST', `/admin/v1/fraud/flags/${flag.id}/review`, { action: 'void' })).statusCode).toBe(200);

    // The caller's own row is right at once (their live balance, their old score left out) ...
    expect((await board(ctx.app, s, c.id, 'user')).me).toMatchObject({ energy: 60, rank: 2, gapToPrevious: 20 });
    // ... and Redis itself is lowered by the void's write, so T sees nobody tied with them any more.
    await expect.poll(() => redis.zscore(`${prefix}${c.id}:user`, s.id)).toBe('60');
    await expect.poll(async () => redis.zscore(`${prefix}${c.id}:team`, (await board(ctx.app, s, c.id, 'team')).me!.id)).toBe('60');
    expect((await board(ctx.app, s, c.id, 'team')).me).toMatchObject({ energy: 60, rank: 2, gapToPrevious: 20 });
    expect((await board(ctx.app, t, c.id, 'user')).me).toMatchObject({ energy: 80, rank: 1, gapToPrevious: null });
  });
});

describe('leaderboards with Redis unreachable', () => {
  const ctx = testApp({ config: { REDIS_URL: 'redis://127.0.0.1:1', JIZAN_BOARD_KEY_PREFIX: prefix } });

  it('still answers every board from PostgreSQL, and likes still go through', async () => {
    const c = await campaign(ctx);
    const sharer = await login(ctx);
    await createTeam(sharer, c.id);
    const card = await share(sharer, c.id);
    expect((await (await login(ctx)).post(`/v1/shares/${card}/like`)).statusCode).toBe(200);
    for (const by of ['user', 'team'] as const) {
      const read = await board(ctx.app, sharer, c.id, by);
      expect(read.me).toMatchObject({ energy: 20, rank: 1, gapToPrevious: null });
      expect(read.entries[0]).toMatchObject({ energy: 20, rank: 1 });
    }
    expect(await ctx.app.deps.boards.correct()).toBe(0);
  });
});
