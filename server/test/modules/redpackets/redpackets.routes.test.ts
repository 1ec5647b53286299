import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { settleCampaign } from '../../../src/modules/redpackets/settlement.service.js';
import { verifyRedPackets } from '../../../src/modules/redpackets/redpackets.service.js';
import { rows } from '../../../src/db/client.js';
import { campaign, errorCode, login, share, T0, testApp } from '../../helper.js';
import { budgetOf, earn, settleDeps, teamWith } from './fixtures.js';

const ctx = testApp();
beforeEach(() => ctx.clock.set(T0));

const HOUR = 3600_000;
// 1 friend's first like = 20 energy, so these rungs are 1, 3 and 5 friends away.
const tiers = [
  { energy: 20, amount: 188 },
  { energy: 60, amount: 588 },
  { energy: 100, amount: 1888 },
];

async function redPacketCampaign(rules: Record<string, unknown> = {}, window: { startsAt?: Date; endsAt?: Date } = {}) {
  return campaign(ctx, { rules: { redPacketTiers: tiers, redPacketBudget: 10_000, ...rules }, ...window });
}

const claim = (user: Awaited<ReturnType<typeof login>>, campaignId: string, tier: number, headers?: Record<string, string>) =>
  user.post('/v1/redpackets/claim', { campaignId, tier }, headers);

describe('GET /v1/campaigns/:id/redpackets', () => {
  it('shows the ladder against my energy, my next tier, the budget and an unsettled pool', async () => {
    const c = await redPacketCampaign({ prizePool: 5000, prizePoolMinTeamEnergy: 40 });
    const me = await login(ctx);
    await earn(ctx, me, c.id, 3);
    const res = await me.get(`/v1/campaigns/${c.id}/redpackets`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      campaignId: c.id,
      energy: 60,
      tiers: [
        { tier: 1, energy: 20, amount: 188, reached: true, claimed: false, claimable: true },
        { tier: 2, energy: 60, amount: 588, reached: true, claimed: false, claimable: true },
        { tier: 3, energy: 100, amount: 1888, reached: false, claimed: false, claimable: false },
      ],
      nextTier: { tier: 3, energy: 100, amount: 1888, energyMissing: 40 },
      budget: 10_000,
      budgetLeft: 10_000,
      claimOpen: true,
      claimDeadline: c.endsAt.toISOString(),
      pool: { amount: 5000, minTeamEnergy: 40, settled: false, settledAt: null, paid: 0, mine: null },
    });
  });

  it('shows an empty ladder and no budget for a campaign that states no red packets', async () => {
    const c = await campaign(ctx);
    const body = (await (await login(ctx)).get(`/v1/campaigns/${c.id}/redpackets`)).json();
    expect(body).toMatchObject({ tiers: [], nextTier: null, budget: 0, budgetLeft: 0, pool: { amount: 0, settled: false } });
  });

  it('answers 404 for an unknown campaign, 400 for a malformed id, 401 without a login', async () => {
    const me = await login(ctx);
    expect(errorCode(await me.get('/v1/campaigns/00000000-0000-4000-8000-000000000000/redpackets'))).toBe('CAMPAIGN_NOT_FOUND');
    const bad = await me.get('/v1/campaigns/nope/redpackets');
    expect(bad.statusCode).toBe(400);
    expect(errorCode(bad)).toBe('VALIDATION_FAILED');
    const anon = await ctx.app.inject({ method: 'GET', url: '/v1/campaigns/00000000-0000-4000-8000-000000000000/redpackets' });
    expect(anon.statusCode).toBe(401);
  });
});

describe('the share landing', () => {
  it('shows the sharer’s energy and next tier before the friend taps, and the top of the ladder as null', async () => {
    const c = await redPacketCampaign();
    const sharer = await login(ctx);
    await earn(ctx, sharer, c.id, 2);
    const card = await share(sharer, c.id);
    const friend = await login(ctx);
    const before = (await friend.get(`/v1/shares/${card}`)).json();
    expect(before).toMatchObject({ sharerEnergy: 40, sharerNextTier: { tier: 2, energy: 60, amount: 588, energyMissing: 20 } });
    await friend.post(`/v1/shares/${card}/like`);
    const after = (await friend.get(`/v1/shares/${card}`)).json();
    expect(after).toMatchObject({ sharerEnergy: 60, sharerNextTier: { tier: 3, energy: 100, amount: 1888, energyMissing: 40 } });
    await earn(ctx, sharer, c.id, 2);
    expect((await friend.get(`/v1/shares/${card}`)).json()).toMatchObject({ sharerEnergy: 100, sharerNextTier: null });
  });
});

describe('a broken ladder', () => {
  it('is refused when the campaign is created, with the reason', async () => {
    await expect(redPacketCampaign({ redPacketTiers: [{ energy: 500, amount: 588 }, { energy: 100, amount: 188 }] })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/tier 2 needs more energy than tier 1/),
    });
  });

  it('stored by hand anyway, answers a 400 VALIDATION_FAILED with the reason, never a 500', async () => {
    const c = await redPacketCampaign();
    await ctx.database.db.execute(
      sql`update campaigns set rules = jsonb_set(rules, '{redPacketTiers}', '[{"energy": 100, "amount": 1}, {"energy": 100, "amount": 2}]') where id = ${c.id}`,
    );
    const me = await login(ctx);
    for (const res of [await me.get(`/v1/campaigns/${c.id}/redpackets`), await claim(me, c.id, 1)]) {
      expect(res.statusCode).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
      expect(res.json().error.message).toMatch(/tier 2 needs more energy than tier 1/);
    }
  });
});

describe('POST /v1/redpackets/claim', () => {
  it('pays a reached tier once: 201 with the red packet, the budget moves by its amount, the ladder shows it claimed', async () => {
    const c = await redPacketCampaign();
    const me = await login(ctx);
    await earn(ctx, me, c.id, 1);
    const res = await claim(me, c.id, 1);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      redPacket: { id: expect.any(String), campaignId: c.id, kind: 'tier', tier: 1, amount: 188, delivery: 'held', holdUntil: new Date(T0.getTime() + 30 * 60_000).toISOString(), createdAt: T0.toISOString() },
      budgetLeft: 10_000 - 188,
    });
    const view = (await me.get(`/v1/campaigns/${c.id}/redpackets`)).json();
    expect(view.tiers[0]).toMatchObject({ reached: true, claimed: true, claimable: false });
    expect(view.budgetLeft).toBe(10_000 - 188);
    expect(await budgetOf(ctx, c.id)).toEqual({ budget: 10_000, remaining: 10_000 - 188 });

    const again = await claim(me, c.id, 1);
    expect(again.statusCode).toBe(409);
    expect(errorCode(again)).toBe('ALREADY_CLAIMED');
    expect(await budgetOf(ctx, c.id)).toEqual({ budget: 10_000, remaining: 10_000 - 188 });
  });

  it('refuses a tier not reached yet with TIER_NOT_REACHED, saying how much energy it needs', async () => {
    const c = await redPacketCampaign();
    const me = await login(ctx);
    await earn(ctx, me, c.id, 2);
    const res = await claim(me, c.id, 2);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'TIER_NOT_REACHED', details: { energy: 40, needed: 60 } });
    expect(await budgetOf(ctx, c.id)).toBeUndefined();
  });

  it('refuses a tier the ladder does not have with 404, and malformed bodies with 400', async () => {
    const c = await redPacketCampaign();
    const me = await login(ctx);
    const missing = await claim(me, c.id, 4);
    expect(missing.statusCode).toBe(404);
    expect(errorCode(missing)).toBe('TIER_NOT_FOUND');
    for (const body of [{ campaignId: c.id, tier: 0 }, { campaignId: c.id, tier: '1' }, { tier: 1 }, { campaignId: 'x', tier: 1 }]) {
      const res = await me.post('/v1/redpackets/claim', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
    }
    expect(errorCode(await claim(me, '00000000-0000-4000-8000-000000000000', 1))).toBe('CAMPAIGN_NOT_FOUND');
  });

  it('refuses with BUDGET_EXHAUSTED once what is left does not cover the red packet, and the ladder stops offering it', async () => {
    const c = await redPacketCampaign({ redPacketTiers: [{ energy: 20, amount: 30 }], redPacketBudget: 50 });
    const [a, b] = [await login(ctx), await login(ctx)];
    await earn(ctx, a, c.id, 1);
    await earn(ctx, b, c.id, 1);
    expect((await claim(a, c.id, 1)).json().budgetLeft).toBe(20);
    const late = await claim(b, c.id, 1);
    expect(late.statusCode).toBe(409);
    expect(errorCode(late)).toBe('BUDGET_EXHAUSTED');
    const view = (await b.get(`/v1/campaigns/${c.id}/redpackets`)).json();
    expect(view).toMatchObject({ budgetLeft: 20, tiers: [{ reached: true, claimed: false, claimable: false }] });
    expect((await b.get('/v1/me/redpackets')).json().redPackets).toEqual([]);
  });

  it('refuses with CAMPAIGN_NOT_ACTIVE before the start and after the claim deadline, which defaults to the end', async () => {
    const soon = await redPacketCampaign({}, { startsAt: new Date(T0.getTime() + HOUR), endsAt: new Date(T0.getTime() + 48 * HOUR) });
    const me = await login(ctx);
    const early = await claim(me, soon.id, 1);
    expect(early.statusCode).toBe(409);
    expect(errorCode(early)).toBe('CAMPAIGN_NOT_ACTIVE');

    const c = await redPacketCampaign({}, { endsAt: new Date(T0.getTime() + HOUR) });
    await earn(ctx, me, c.id, 1);
    ctx.clock.set(c.endsAt);
    const late = await claim(me, c.id, 1);
    expect(errorCode(late)).toBe('CAMPAIGN_NOT_ACTIVE');
    expect(late.json().error.details).toEqual({ claimDeadline: c.endsAt.toISOString() });
    const view = (await me.get(`/v1/campaigns/${c.id}/redpackets`)).json();
    expect(view.claimOpen).toBe(false);
    expect(view.tiers[0]).toMatchObject({ reached: true, claimable: false });
  });

  it('keeps claims open after the end until a later claim deadline', async () => {
    const deadline = new Date(T0.getTime() + 5 * HOUR);
    const c = await redPacketCampaign({ redPacketClaimDeadline: deadline.toISOString() }, { endsAt: new Date(T0.getTime() + HOUR) });
    const me = await login(ctx);
    await earn(ctx, me, c.id, 1);
    ctx.clock.set(new Date(T0.getTime() + 2 * HOUR));
    expect((await claim(me, c.id, 1)).statusCode).toBe(201);
    ctx.clock.set(deadline);
    expect(errorCode(await claim(me, c.id, 1))).toBe('CAMPAIGN_NOT_ACTIVE');
  });

  it('replays the first answer to a retry with the same Idempotency-Key and pays once; another claim under that key is 422', async () => {
    const c = await redPacketCampaign();
    const me = await login(ctx);
    await earn(ctx, me, c.id, 3);
    const first = await claim(me, c.id, 1, { 'idempotency-key': 'open-1' });
    const retry = await claim(me, c.id, 1, { 'idempotency-key': 'open-1' });
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toBe(first.body);
    expect(await budgetOf(ctx, c.id)).toEqual({ budget: 10_000, remaining: 10_000 - 188 });
    const reused = await claim(me, c.id, 2, { 'idempotency-key': 'open-1' });
    expect(reused.statusCode).toBe(422);
    expect(errorCode(reused)).toBe('IDEMPOTENCY_KEY_REUSED');
    // A refusal is not stored: once the cause is gone, a retry under its key can succeed.
    const refused = await claim(me, c.id, 3, { 'idempotency-key': 'open-3' });
    expect(errorCode(refused)).toBe('TIER_NOT_REACHED');
    await earn(ctx, me, c.id, 2);
    expect((await claim(me, c.id, 3, { 'idempotency-key': 'open-3' })).statusCode).toBe(201);
  });

  it('needs a login', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/redpackets/claim', payload: { campaignId: '00000000-0000-4000-8000-000000000000', tier: 1 } });
    expect(res.statusCode).toBe(401);
    expect(errorCode(res)).toBe('UNAUTHENTICATED');
  });
});

describe('GET /v1/me/redpackets', () => {
  it('pages my red packets newest first with a cursor, with the total over every page', async () => {
    const c = await redPacketCampaign();
    const other = await redPacketCampaign();
    const me = await login(ctx);
    await earn(ctx, me, c.id, 5);
    await earn(ctx, me, other.id, 1);
    for (const tier of [1, 2, 3]) expect((await claim(me, c.id, tier)).statusCode).toBe(201);
    expect((await claim(me, other.id, 1)).statusCode).toBe(201);

    const first = (await me.get(`/v1/me/redpackets?campaignId=${c.id}&limit=2`)).json();
    expect(first.total).toBe(188 + 588 + 1888);
    expect(first.redPackets.map((r: { tier: number }) => r.tier)).toEqual([3, 2]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await me.get(`/v1/me/redpackets?campaignId=${c.id}&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.redPackets.map((r: { tier: number }) => r.tier)).toEqual([1]);
    expect(second.nextCursor).toBeNull();

    const all = (await me.get('/v1/me/redpackets')).json();
    expect(all.total).toBe(188 + 588 + 1888 + 188);
    expect(all.redPackets).toHaveLength(4);
    expect(all.redPackets[0]).toMatchObject({ campaignId: other.id, kind: 'tier', delivery: 'held' });
    // Someone else sees none of mine.
    expect((await (await login(ctx)).get('/v1/me/redpackets')).json()).toEqual({ total: 0, redPackets: [], nextCursor: null });
  });

  it('answers 400 for a forged cursor or a silly limit and 404 for an unknown campaign', async () => {
    const me = await login(ctx);
    expect(errorCode(await me.get('/v1/me/redpackets?cursor=bm9wZQ'))).toBe('INVALID_CURSOR');
    expect((await me.get('/v1/me/redpackets?limit=1000')).statusCode).toBe(400);
    expect(errorCode(await me.get('/v1/me/redpackets?campaignId=00000000-0000-4000-8000-000000000000'))).toBe('CAMPAIGN_NOT_FOUND');
  });
});

describe('after settlement', () => {
  it('shows my pool share on the campaign and in my list, held for review (its transfer comes after the hold), beside my tier red packet', async () => {
    const c = await redPacketCampaign({ prizePool: 1000 }, { endsAt: new Date(T0.getTime() + HOUR) });
    const team = await teamWith(ctx, c.id, [3, 1]);
    const [captain, member] = team.members;
    expect((await claim(captain!, c.id, 1)).statusCode).toBe(201);
    ctx.clock.set(new Date(c.endsAt.getTime() + 2 * 60_000));
    const report = await settleCampaign(settleDeps(ctx), c.id);
    expect(report).toMatchObject({ planned: true, pool: 1000, paid: 1000, teams: 1, delivery: { delivered: 0, pending: 3, failed: 0 } });

    const view = (await captain!.get(`/v1/campaigns/${c.id}/redpackets`)).json();
    expect(view.pool).toEqual({
      amount: 1000,
      minTeamEnergy: 0,
      settled: true,
      settledAt: ctx.clock.now().toISOString(),
      paid: 1000,
      mine: { id: expect.any(String), campaignId: c.id, kind: 'pool', tier: null, amount: 750, delivery: 'held', holdUntil: ctx.clock.now().toISOString(), createdAt: expect.any(String) },
    });
    expect((await member!.get(`/v1/campaigns/${c.id}/redpackets`)).json().pool.mine.amount).toBe(250);
    const mine = (await captain!.get(`/v1/me/redpackets?campaignId=${c.id}`)).json();
    expect(mine.total).toBe(188 + 750);
    expect(mine.redPackets.map((r: { kind: string; delivery: string }) => [r.kind, r.delivery])).toEqual([
      ['pool', 'held'],
      ['tier', 'held'],
    ]);
    expect(await verifyRedPackets(ctx.database.db)).toEqual([]);
  });
});

describe('the red-packet books at the database', () => {
  it('refuse UPDATE, DELETE and TRUNCATE of red packets, settlements and payout attempts', async () => {
    const c = await redPacketCampaign();
    const me = await login(ctx);
    await earn(ctx, me, c.id, 1);
    await claim(me, c.id, 1);
    const db = ctx.database.db;
    const refusal = (q: Promise<unknown>) =>
      q.then(
        () => 'accepted',
        (e: Error & { cause?: Error }) => e.cause?.message ?? e.message,
      );
    expect(await refusal(db.execute(sql`update red_packets set amount = amount * 100`))).toMatch(/red_packets is append-only: UPDATE/);
    expect(await refusal(db.execute(sql`delete from red_packets`))).toMatch(/append-only: DELETE/);
    expect(await refusal(db.execute(sql`truncate red_packets cascade`))).toMatch(/append-only: TRUNCATE/);
    expect(await refusal(db.execute(sql`truncate red_packet_settlements cascade`))).toMatch(/is append-only: TRUNCATE/);
    expect(await refusal(db.execute(sql`truncate red_packet_payout_attempts`))).toMatch(/red_packet_payout_attempts is append-only: TRUNCATE/);
    // The budget can only be spent down to zero, never below.
    expect(await refusal(db.execute(sql`update red_packet_budgets set remaining = -1`))).toMatch(/red_packet_budgets_remaining_check/);
  });
});

describe('the red-packet books', () => {
  it('pay out exactly the tier claims plus the pool payouts, within the budget, and the check (pnpm verify-ledger) says when they do not', async () => {
    const c = await redPacketCampaign({ redPacketBudget: 3_000, prizePool: 5_000 }, { endsAt: new Date(T0.getTime() + HOUR) });
    const team = await teamWith(ctx, c.id, [3, 1]);
    expect((await claim(team.members[0]!, c.id, 1)).statusCode).toBe(201);
    expect((await claim(team.members[0]!, c.id, 2)).statusCode).toBe(201);
    expect((await claim(team.members[1]!, c.id, 1)).statusCode).toBe(201);
    ctx.clock.set(new Date(c.endsAt.getTime() + 5 * 60_000));
    const report = await settleCampaign(settleDeps(ctx), c.id);

    const claims = 188 + 588 + 188;
    // The pool shrank to what the budget had left after the claims.
    expect(report).toMatchObject({ poolRule: 5_000, pool: 3_000 - claims, paid: 3_000 - claims });
    const [books] = await rows<{ claims: number; payouts: number }>(
      ctx.database.db,
      sql`select coalesce(sum(amount) filter (where kind = 'tier'), 0)::int as claims,
                 coalesce(sum(amount) filter (where kind = 'pool'), 0)::int as payouts
          from red_packets where campaign_id = ${c.id}`,
    );
    const budget = (await budgetOf(ctx, c.id))!;
    expect(books).toEqual({ claims, payouts: report.paid });
    expect(budget.budget - budget.remaining).toBe(books!.claims + books!.payouts);
    expect(books!.claims + books!.payouts).toBeLessThanOrEqual(budget.budget);
    expect((await verifyRedPackets(ctx.database.db)).filter((p) => p.campaignId === c.id)).toEqual([]);

    // A budget moved by hand no longer agrees with what was paid, and the check names the campaign.
    await ctx.database.db.execute(sql`update red_packet_budgets set remaining = remaining + 1 where campaign_id = ${c.id}`);
    expect((await verifyRedPackets(ctx.database.db)).filter((p) => p.campaignId === c.id)).toEqual([
      { campaignId: c.id, problem: `remaining 1 is not budget 3000 minus paid 3000` },
    ]);
    await ctx.database.db.execute(sql`update red_packet_budgets set remaining = remaining - 1 where campaign_id = ${c.id}`);
  });
});

describe('API documentation', () => {
  it('lists the red-packet routes with their operation ids', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.paths['/v1/campaigns/{id}/redpackets'].get.operationId).toBe('getCampaignRedPackets');
    expect(doc.paths['/v1/redpackets/claim'].post.operationId).toBe('claimRedPacket');
    expect(doc.paths['/v1/redpackets/claim'].post.responses).toHaveProperty(['201']);
    expect(doc.paths['/v1/me/redpackets'].get.operationId).toBe('listMyRedPackets');
  });
});
