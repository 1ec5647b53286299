import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { groupBuyDeps } from '../../src/modules/groupbuy/groupbuy.deps.js';
import { expireDue, refundDue } from '../../src/modules/groupbuy/groupbuy.jobs.js';
import { findGroupBuyDrift } from '../../src/modules/groupbuy/groupbuy.service.js';
import { findDrift } from '../../src/modules/ledger/ledger.service.js';
import { verifyRedPackets } from '../../src/modules/redpackets/redpackets.service.js';
import { campaign, createTeam, login, REAL_PG_URL, share, tally, testApp, testConfig, type Client } from '../helper.js';
import { open, platformBooks, product, settleEarlierTests } from '../modules/groupbuy/fixtures.js';
import { budgetOf, ring } from '../modules/redpackets/fixtures.js';

/**
 * Two API instances on one PostgreSQL database, each with its own connection pool and its own
 * in-process state, sharing one load: every like, join, group join and claim goes to either
 * instance, as a load balancer would send them. Every cap, seat and budget stays exact.
 */
const ctx = testApp();
let second: { app: FastifyInstance; database: Database };

beforeAll(async () => {
  if (!REAL_PG_URL) return;
  const database = await openDatabase({
    databaseUrl: ctx.database.url,
    dataDir: '',
    poolSize: 30,
    databaseTimeouts: { connectMs: 60_000, statementMs: 60_000, idleInTransactionMs: 60_000 },
  });
  const app = await buildApp({ config: testConfig(), database, clock: ctx.clock, logger: false });
  await app.ready();
  second = { app, database };
});

afterAll(async () => {
  await second?.app.close();
  await second?.database.close();
});

/** The same user, talking to instance A or B. */
function via(client: Client, instance: 0 | 1): Client['post'] {
  if (instance === 0) return client.post;
  return (url, payload, headers) =>
    second.app.inject({
      method: 'POST',
      url,
      ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
      headers: { authorization: `Bearer ${client.token}`, ...(headers ?? {}) },
    });
}

describe.skipIf(!REAL_PG_URL)('two instances on one database (real PostgreSQL)', () => {
  it('likes, team joins, group joins and claims spread over both instances keep every cap, seat and budget exact', async () => {
    const c = await campaign(ctx, {
      rules: { sharerDailyLikeCap: 40, teamSizeLimit: 5, redPacketTiers: [{ energy: 20, amount: 30 }], redPacketBudget: 100 },
    });
    // Likes: one card, 100 new friends, a cap of 40 likes a day for its sharer.
    const sharer = await login(ctx);
    const card = await share(sharer, c.id);
    const likers = await Promise.all(Array.from({ length: 100 }, () => login(ctx)));
    // Joins: a team of 5 (the captain holds one seat), 60 would-be members.
    const captain = await login(ctx);
    await createTeam(captain, c.id);
    const invite = await share(captain, c.id, 'team');
    const joiners = await Promise.all(Array.from({ length: 60 }, () => login(ctx)));
    // Group joins: a group of 3 with its opener, 80 friends.
    const p = await product(ctx, { campaignId: c.id, groupSize: 3, stock: 1000 });
    const group = await open(await login(ctx), p.id);
    const buyers = await Promise.all(Array.from({ length: 80 }, () => login(ctx)));
    // Claims: 100 users with 20 energy each, 30 fen each from a budget of 100.
    const claimers = await ring(ctx, c.id, 100);

    const [likes, joins, groupJoins, claims] = await Promise.all([
      Promise.all(likers.map((u, i) => via(u, (i % 2) as 0 | 1)(`/v1/shares/${card}/like`))),
      Promise.all(joiners.map((u, i) => via(u, (i % 2) as 0 | 1)(`/v1/shares/${invite}/join`))),
      Promise.all(buyers.map((u, i) => via(u, (i % 2) as 0 | 1)(`/v1/groups/${group.id}/join`))),
      Promise.all(claimers.map((u, i) => via(u, (i % 2) as 0 | 1)('/v1/redpackets/claim', { campaignId: c.id, tier: 1 }))),
    ]);
    expect(tally(likes)).toEqual({ ok: 40, SHARER_DAILY_CAP: 60 });
    expect(tally(joins)).toEqual({ ok: 4, TEAM_FULL: 56 });
    expect(tally(groupJoins)).toEqual({ ok: 2, GROUP_FULL: 78 });
    expect(tally(claims)).toEqual({ ok: 3, BUDGET_EXHAUSTED: 97 });
    expect(await budgetOf(ctx, c.id)).toEqual({ budget: 100, remaining: 10 });

    // Both instances read the same truth.
    for (const app of [ctx.app, second.app]) {
      const team = await app.inject({ method: 'GET', url: `/v1/campaigns/${c.id}`, headers: { authorization: `Bearer ${captain.token}` } });
      expect(team.json().me.team.memberCount).toBe(5);
    }
    expect(await findDrift(ctx.database.db)).toEqual([]);
    expect(await findGroupBuyDrift(ctx.database.db)).toEqual([]);
    expect(await verifyRedPackets(ctx.database.db)).toEqual([]);
  });

  it('the background jobs running in both instances at once close and refund each expired group exactly once', async () => {
    await settleEarlierTests(ctx);
    const p = await product(ctx, { groupSize: 2, stock: 100 });
    const openers = await Promise.all(Array.from({ length: 20 }, () => login(ctx)));
    for (const o of openers) await open(o, p.id);
    ctx.clock.advance(48 * 3600_000);
    // Each instance's jobs have their own pool and their own payment client, as two processes would,
    // against one (simulated) platform.
    const a = groupBuyDeps({ config: testConfig(), db: ctx.database.db, clock: ctx.clock });
    const b = groupBuyDeps({ config: testConfig(), db: second.database.db, clock: ctx.clock });
    const before = await platformBooks(a);
    const closed = await Promise.all([expireDue(a), expireDue(b), expireDue(a), expireDue(b)]);
    expect(closed.reduce((x, y) => x + y, 0)).toBe(20);
    const refunded = await Promise.all([refundDue(a), refundDue(b), refundDue(a), refundDue(b)]);
    expect(refunded.reduce((x, y) => x + y, 0)).toBe(20);
    const after = await platformBooks(a);
    expect([after.refundPosts - before.refundPosts, after.refundsPaid - before.refundsPaid]).toEqual([20, 20]);
    expect(await findGroupBuyDrift(ctx.database.db)).toEqual([]);
  });
});
