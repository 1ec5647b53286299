import { count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { energyLedger, shares, teams } from '../../src/db/schema/index.js';
import { requireCampaign } from '../../src/modules/campaigns/campaigns.service.js';
import { NO_IDEMPOTENCY } from '../../src/modules/idempotency/idempotency.service.js';
import { likeShares } from '../../src/modules/likes/likes.repository.js';
import { likeRequest } from '../../src/modules/likes/likes.service.js';
import { findDrift } from '../../src/modules/ledger/ledger.service.js';
import { campaign, createTeam, errorCode, login, REAL_PG_URL, testApp, share, type Client } from '../helper.js';

/**
 * Double-11 stampedes. Under PGlite (one connection) these run serialised and check the rules;
 * with JIZAN_TEST_DATABASE_URL they run as truly concurrent transactions on PostgreSQL.
 */
const ctx = testApp();

async function users(n: number): Promise<Client[]> {
  const out: Client[] = [];
  for (let i = 0; i < n; i++) out.push(await login(ctx));
  return out;
}

function tally(results: { statusCode: number; json(): unknown }[]) {
  const by: Record<string, number> = {};
  for (const r of results) {
    const key = r.statusCode === 200 ? 'ok' : errorCode(r);
    by[key] = (by[key] ?? 0) + 1;
  }
  return by;
}

describe(`stampedes on ${REAL_PG_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  it('200 friends liking one sharer at once: energy is exactly the accepted likes, and equals the ledger', async () => {
    const c = await campaign(ctx);
    const sharer = await login(ctx);
    const team = await createTeam(sharer, c.id);
    const card = await share(sharer, c.id);
    const likers = await users(200);
    const results = await Promise.all(likers.map((l) => l.post(`/v1/shares/${card}/like`)));
    expect(tally(results)).toEqual({ ok: 200 });
    const accepted = results.reduce((sum, r) => sum + (r.json() as { energy: number }).energy, 0);
    expect(accepted).toBe(200 * 20);
    const detail = (await sharer.get(`/v1/campaigns/${c.id}`)).json();
    expect(detail.me.energy).toBe(accepted);
    expect(detail.me.team.energy).toBe(accepted);
    const ledger = await ctx.database.db.select({ n: count() }).from(energyLedger).where(eq(energyLedger.teamId, team.id));
    expect(ledger[0]!.n).toBe(200);
    expect(await findDrift(ctx.database.db)).toEqual([]);
  });

  it('one friend firing the same like 50 times at once is counted exactly once', async () => {
    const c = await campaign(ctx);
    const sharer = await login(ctx);
    const card = await share(sharer, c.id);
    const friend = await login(ctx);
    const results = await Promise.all(Array.from({ length: 50 }, () => friend.post(`/v1/shares/${card}/like`)));
    expect(tally(results)).toEqual({ ok: 1, ALREADY_LIKED: 49 });
    expect((await sharer.get(`/v1/me/ledger?campaignId=${c.id}`)).json()).toMatchObject({ balance: 20, entries: [{ amount: 20 }] });
    expect(await findDrift(ctx.database.db)).toEqual([]);
  });

  it('a retried like with one Idempotency-Key, 20 copies at once, moves energy once and answers all alike', async () => {
    const c = await campaign(ctx);
    const sharer = await login(ctx);
    const card = await share(sharer, c.id);
    const friend = await login(ctx);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => friend.post(`/v1/shares/${card}/like`, undefined, { 'idempotency-key': 'tap-1' })),
    );
    expect(tally(results)).toEqual({ ok: 20 });
    expect(new Set(results.map((r) => r.body)).size).toBe(1);
    expect((await sharer.get(`/v1/me/ledger?campaignId=${c.id}`)).json().entries).toHaveLength(1);
  });

  it('one liker firing at 50 different sharers at once gets exactly the daily cap, and the new-liker bonus once', async () => {
    const c = await campaign(ctx, { rules: { dailyLikeCap: 20 } });
    const sharers = await users(50);
    const cards = await Promise.all(sharers.map((s) => share(s, c.id)));
    const liker = await login(ctx);
    const results = await Promise.all(cards.map((card) => liker.post(`/v1/shares/${card}/like`)));
    expect(tally(results)).toEqual({ ok: 20, DAILY_LIKE_CAP: 30 });
    const bonuses = results.filter((r) => r.statusCode === 200 && (r.json() as { newLikerBonus: boolean }).newLikerBonus);
    expect(bonuses).toHaveLength(1);
    expect(await findDrift(ctx.database.db)).toEqual([]);
  });

  it('a team of 5 with 50 joiners at once seats exactly 4 of them', async () => {
    const c = await campaign(ctx, { rules: { teamSizeLimit: 5 } });
    const captain = await login(ctx);
    const team = await createTeam(captain, c.id);
    const card = await share(captain, c.id, 'team');
    const joiners = await users(50);
    const results = await Promise.all(joiners.map((j) => j.post(`/v1/shares/${card}/join`)));
    expect(tally(results)).toEqual({ ok: 4, TEAM_FULL: 46 });
    const final = (await captain.get(`/v1/teams/${team.id}`)).json();
    expect(final.members).toHaveLength(5);
    expect(final.seatsLeft).toBe(0);
    const [row] = await ctx.database.db.select().from(teams).where(eq(teams.id, team.id));
    expect(row!.memberCount).toBe(5);
  });

  it('friends liking each other at the same moment never deadlock', async () => {
    const c = await campaign(ctx);
    const people = await users(12);
    const cards = await Promise.all(people.map((p) => share(p, c.id)));
    const calls = people.flatMap((p, i) => cards.filter((_, j) => j !== i).map((card) => p.post(`/v1/shares/${card}/like`)));
    const results = await Promise.all(calls);
    expect(tally(results)).toEqual({ ok: 12 * 11 });
    expect(await findDrift(ctx.database.db)).toEqual([]);
  });

  it('like batches sent at once, the same people in opposite orders, all go through without a deadlock', async () => {
    // Straight to the batch statement, so a deadlock would fail the call instead of being rerun like by like.
    const n = 24;
    const c = await campaign(ctx, { rules: { dailyLikeCap: 50, sharerDailyLikeCap: 50 } });
    const people = await users(n);
    await Promise.all(people.map((p) => share(p, c.id)));
    const target = await requireCampaign(ctx.database.db, c.id);
    const cards = await ctx.database.db.select({ id: shares.id, sharerId: shares.sharerId }).from(shares).where(eq(shares.campaignId, c.id));
    const cardOf = (i: number) => cards.find((card) => card.sharerId === people[i % n]!.id)!;
    const request = (likerId: string, card: (typeof cards)[number]) =>
      likeRequest({ campaign: target, share: card }, { likerId, idempotency: NO_IDEMPOTENCY }, new Date());
    // A like around the ring first, so every counter and balance row already exists and the
    // batches below lock existing rows (new ones are created in key order anyway).
    await likeShares(ctx.database.db, people.map((p, i) => request(p.id, cardOf(i + 1))));
    const pairs = people.flatMap((p, i) => cards.filter((card) => card.sharerId !== p.id && card !== cardOf(i + 1)).map((card) => request(p.id, card)));
    // Six batches, each spanning every liker and sharer, every other one in reverse order, sent
    // once every connection they need is open so they truly run at once.
    await Promise.all(Array.from({ length: 6 }, () => ctx.database.db.execute(sql`select pg_sleep(0.05)`)));
    const batches = Array.from({ length: 6 }, (_, b) => pairs.filter((_, i) => i % 6 === b)).map((batch, b) => (b % 2 ? batch.reverse() : batch));
    const answers = (await Promise.all(batches.map((batch) => likeShares(ctx.database.db, batch)))).flat();
    expect(answers.filter((a) => a.outcome === 'liked')).toHaveLength(n * (n - 2));
    expect(await findDrift(ctx.database.db)).toEqual([]);
  });
});
