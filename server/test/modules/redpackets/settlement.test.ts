import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rows } from '../../../src/db/client.js';
import { devPayoutProvider, type PayoutProvider, type PayoutRequest } from '../../../src/modules/redpackets/payout-provider.js';
import { splitPool } from '../../../src/modules/redpackets/pool-split.js';
import { findCampaignId, verifyRedPackets } from '../../../src/modules/redpackets/redpackets.service.js';
import { campaignsDueForSettlement, deliverRedPackets, settleCampaign } from '../../../src/modules/redpackets/settlement.service.js';
import { campaign, login, REAL_PG_URL, T0, testApp } from '../../helper.js';
import { budgetOf, earn, paidOut, recordingProvider, settleDeps, teamWith } from './fixtures.js';

/**
 * Settlement on the database the suite runs on: under `pnpm test:pg` the concurrent runs below are
 * truly concurrent transactions on PostgreSQL.
 */
const ctx = testApp();
beforeEach(() => ctx.clock.set(T0));

const HOUR = 3600_000;
const afterEnd = (c: { endsAt: Date }) => new Date(c.endsAt.getTime() + 5 * 60_000);

async function endedCampaign(rules: Record<string, unknown>) {
  return campaign(ctx, { rules: { redPacketBudget: 100_000, ...rules }, endsAt: new Date(T0.getTime() + HOUR) });
}

/** Three teams: 20/40/60 (120), 100 (100) and 20 (20 — below a minimum of 50). */
async function threeTeams(campaignId: string) {
  return [await teamWith(ctx, campaignId, [1, 2, 3]), await teamWith(ctx, campaignId, [5]), await teamWith(ctx, campaignId, [1])] as const;
}

/** Runs `sql` as a trigger that fails the statement, to kill a run at a chosen point; returns the cure. */
async function breakAt(table: string, when: 'update' | 'insert', condition: string): Promise<() => Promise<void>> {
  const db = ctx.database.db;
  await db.execute(sql.raw(`
    create or replace function test_crash() returns trigger as $$
    begin
      if ${condition} then raise exception 'simulated crash'; end if;
      return new;
    end $$ language plpgsql`));
  await db.execute(sql.raw(`create trigger test_crash before ${when} on ${table} for each row execute function test_crash()`));
  return async () => {
    await db.execute(sql.raw(`drop trigger test_crash on ${table}`));
  };
}

function perPayoutId(calls: PayoutRequest[]): Map<string, number> {
  const n = new Map<string, number>();
  for (const c of calls) n.set(c.payoutId, (n.get(c.payoutId) ?? 0) + 1);
  return n;
}

describe('settling the prize pool', () => {
  it('splits the pool by team energy, then by each member’s contribution, from the ledger, and pays each share once', async () => {
    const c = await endedCampaign({ prizePool: 10_000, prizePoolMinTeamEnergy: 50 });
    const [a, b, small] = await threeTeams(c.id);
    ctx.clock.set(afterEnd(c));
    const provider = recordingProvider();
    const report = await settleCampaign(settleDeps(ctx, provider), c.id);

    // 10,000 fen over 120 and 100 energy: 5454.5 and 4545.5, the tie of remainders going to the larger team.
    const expected = splitPool(
      10_000,
      [
        { teamId: a.id, members: a.members.map((m, i) => ({ userId: m.id, energy: 20 * (i + 1) })) },
        { teamId: b.id, members: [{ userId: b.members[0]!.id, energy: 100 }] },
      ],
      50,
    );
    expect(expected.teams.map((t) => [t.teamId, t.amount]).sort()).toEqual([[a.id, 5455], [b.id, 4545]].sort());
    expect(report).toMatchObject({ planned: true, poolRule: 10_000, pool: 10_000, paid: 10_000, teams: 2, run: { attempted: 4, delivered: 4 } });
    const paid = await paidOut(ctx, c.id);
    expect(Object.fromEntries(paid.map((p) => [p.user_id, p.amount]))).toEqual(
      Object.fromEntries(expected.shares.map((s) => [s.userId, s.amount])),
    );
    expect(paid.map((p) => p.user_id)).not.toContain(small.members[0]!.id);
    expect(paid.every((p) => p.successes === 1)).toBe(true);
    expect(provider.transfers().reduce((s, t) => s + t.amount, 0)).toBe(10_000);
    expect(await budgetOf(ctx, c.id)).toEqual({ budget: 100_000, remaining: 90_000 });
    expect(await verifyRedPackets(ctx.database.db)).toEqual([]);

    // Settling again changes nothing and asks the provider for nothing.
    const again = await settleCampaign(settleDeps(ctx, provider), c.id);
    expect(again).toMatchObject({ planned: false, paid: 10_000, run: { attempted: 0 } });
    expect(provider.calls).toHaveLength(4);
  });

  it('refuses to settle before the campaign ended plus its grace period', async () => {
    const c = await endedCampaign({ prizePool: 100 });
    await expect(settleCampaign(settleDeps(ctx, devPayoutProvider()), c.id)).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_ENDED' });
    ctx.clock.set(new Date(c.endsAt.getTime() + 59_000));
    await expect(settleCampaign(settleDeps(ctx, devPayoutProvider()), c.id)).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_ENDED' });
    ctx.clock.set(new Date(c.endsAt.getTime() + 60_000));
    await expect(settleCampaign(settleDeps(ctx, devPayoutProvider()), c.id)).resolves.toMatchObject({ planned: true });
  });

  it('shrinks the pool to what the budget has left after tier red packets, never more', async () => {
    const c = await endedCampaign({ redPacketTiers: [{ energy: 20, amount: 60 }], redPacketBudget: 100, prizePool: 100 });
    const team = await teamWith(ctx, c.id, [1, 1]);
    expect((await team.members[0]!.post('/v1/redpackets/claim', { campaignId: c.id, tier: 1 })).statusCode).toBe(201);
    ctx.clock.set(afterEnd(c));
    const report = await settleCampaign(settleDeps(ctx, devPayoutProvider()), c.id);
    expect(report).toMatchObject({ poolRule: 100, pool: 40, paid: 40 });
    expect((await paidOut(ctx, c.id)).reduce((s, p) => s + p.amount, 0)).toBe(100);
    expect(await budgetOf(ctx, c.id)).toEqual({ budget: 100, remaining: 0 });
    expect(await verifyRedPackets(ctx.database.db)).toEqual([]);
  });

  it('keeps the pool in the budget when no team qualifies, and remembers that it settled', async () => {
    const c = await endedCampaign({ prizePool: 500, prizePoolMinTeamEnergy: 1000 });
    await teamWith(ctx, c.id, [1]);
    const loner = await login(ctx);
    await earn(ctx, loner, c.id, 2);
    ctx.clock.set(afterEnd(c));
    expect(await settleCampaign(settleDeps(ctx, devPayoutProvider()), c.id)).toMatchObject({ planned: true, pool: 500, paid: 0, teams: 0 });
    expect(await budgetOf(ctx, c.id)).toEqual({ budget: 100_000, remaining: 100_000 });
    expect(await settleCampaign(settleDeps(ctx, devPayoutProvider()), c.id)).toMatchObject({ planned: false, paid: 0 });
  });

  it('lists ended campaigns with a pool to settle for the job, and forgets each once settled', async () => {
    const due = await endedCampaign({ prizePool: 100 });
    const noPool = await endedCampaign({});
    const live = await campaign(ctx, { rules: { redPacketBudget: 100, prizePool: 100 } });
    const deps = settleDeps(ctx, devPayoutProvider());
    expect(await campaignsDueForSettlement(deps)).not.toContain(due.id);
    ctx.clock.set(new Date(due.endsAt.getTime() + 60_000));
    const listed = await campaignsDueForSettlement(deps);
    expect(listed).toContain(due.id);
    expect(listed).not.toContain(noPool.id);
    expect(listed).not.toContain(live.id);
    await settleCampaign(deps, due.id);
    expect(await campaignsDueForSettlement(deps)).not.toContain(due.id);
  });

  it('finds a campaign by slug or id for the settle script', async () => {
    const c = await endedCampaign({});
    expect(await findCampaignId(ctx.database.db, c.slug)).toBe(c.id);
    expect(await findCampaignId(ctx.database.db, c.id)).toBe(c.id);
    await expect(findCampaignId(ctx.database.db, 'no-such-slug')).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_FOUND' });
  });
});

describe('a settlement killed half-way and run again', () => {
  it('killed while paying, after some payouts: the rerun pays the rest, nobody twice, and the totals equal the pool', async () => {
    const c = await endedCampaign({ prizePool: 99_999 });
    for (let i = 0; i < 4; i++) await teamWith(ctx, c.id, [1, 2, 1, 1, 3]);
    ctx.clock.set(afterEnd(c));
    const provider = recordingProvider();
    const [{ n }] = (await rows<{ n: number }>(ctx.database.db, sql`select count(*)::int as n from red_packet_payout_attempts`)) as [{ n: number }];
    // Dies on recording the 15th payout: the provider has paid 15, but only the first batch of 10 is on record.
    const cure = await breakAt('red_packet_payout_attempts', 'insert', `(select count(*) from red_packet_payout_attempts) >= ${Number(n) + 14}`);
    const deps = settleDeps(ctx, provider);
    await expect(settleCampaign(deps, c.id)).rejects.toThrow();
    await cure();
    const midway = await paidOut(ctx, c.id);
    expect(midway).toHaveLength(20);
    expect(midway.reduce((s, p) => s + p.amount, 0)).toBe(99_999);
    expect(midway.filter((p) => p.successes === 1)).toHaveLength(10);
    expect(provider.transfers()).toHaveLength(15);

    const rerun = await settleCampaign(deps, c.id);
    expect(rerun).toMatchObject({ planned: false, paid: 99_999, delivery: { delivered: 20, pending: 0, failed: 0 } });
    const paid = await paidOut(ctx, c.id);
    expect(paid.every((p) => p.successes === 1)).toBe(true);
    // The provider moved money once per red packet, even for those it was asked about twice.
    const transfers = provider.transfers();
    expect(transfers).toHaveLength(20);
    expect(transfers.reduce((s, t) => s + t.amount, 0)).toBe(99_999);
    expect(new Set(transfers.map((t) => t.payoutId))).toEqual(new Set(paid.map((p) => p.payout_id)));
    expect([...perPayoutId(provider.calls).values()].some((k) => k === 2)).toBe(true);
    expect(await verifyRedPackets(ctx.database.db)).toEqual([]);
  });

  it('killed while writing the split: nothing was written, no budget moved, and the rerun settles it all', async () => {
    const c = await endedCampaign({ prizePool: 1000 });
    await teamWith(ctx, c.id, [1, 2]);
    await teamWith(ctx, c.id, [3]);
    ctx.clock.set(afterEnd(c));
    // Dies at the very last step, after every pool red packet was written, as the budget moves.
    const cure = await breakAt('red_packet_budgets', 'update', 'true');
    await expect(settleCampaign(settleDeps(ctx, devPayoutProvider()), c.id)).rejects.toThrow();
    await cure();
    expect(await paidOut(ctx, c.id)).toEqual([]);
    // Not even the budget row it opened survived: the whole plan is one transaction.
    expect(await budgetOf(ctx, c.id)).toBeUndefined();
    expect(await rows(ctx.database.db, sql`select 1 from red_packet_settlements where campaign_id = ${c.id}`)).toEqual([]);

    const provider = recordingProvider();
    expect(await settleCampaign(settleDeps(ctx, provider), c.id)).toMatchObject({ planned: true, paid: 1000, delivery: { delivered: 3 } });
    expect(provider.transfers().reduce((s, t) => s + t.amount, 0)).toBe(1000);
    expect(await verifyRedPackets(ctx.database.db)).toEqual([]);
  });
});

describe(`concurrent settlement runs on ${REAL_PG_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  it('two runs at once write one split and ask the provider once per red packet', async () => {
    const c = await endedCampaign({ prizePool: 77_777 });
    for (let i = 0; i < 5; i++) await teamWith(ctx, c.id, [1, 1, 2, 3, 1]);
    ctx.clock.set(afterEnd(c));
    // A provider with no memory: had any red packet been asked for twice, it would show as two transfers.
    const calls: PayoutRequest[] = [];
    const forgetful: PayoutProvider = {
      name: 'forgetful',
      async pay(req) {
        calls.push(req);
        await new Promise((r) => setTimeout(r, 2));
        return { ok: true, reference: `ref-${calls.length}` };
      },
    };
    const reports = await Promise.all([0, 1].map(() => settleCampaign(settleDeps(ctx, forgetful), c.id)));
    expect(reports.map((r) => r.planned).sort()).toEqual([false, true]);
    expect(reports.reduce((s, r) => s + r.run.delivered, 0)).toBe(25);
    expect(calls).toHaveLength(25);
    expect(calls.reduce((s, r) => s + r.amount, 0)).toBe(77_777);
    expect(new Set(calls.map((r) => r.payoutId)).size).toBe(25);
    const paid = await paidOut(ctx, c.id);
    expect(paid.every((p) => p.successes === 1)).toBe(true);
    expect(await verifyRedPackets(ctx.database.db)).toEqual([]);
  });
});

describe('payouts that fail', () => {
  it('are retried by the next run while the provider says retrying may help, and then delivered', async () => {
    const c = await endedCampaign({ prizePool: 300 });
    await teamWith(ctx, c.id, [1, 2]);
    ctx.clock.set(afterEnd(c));
    const dev = devPayoutProvider();
    let down = true;
    const flaky: PayoutProvider = { name: 'dev', pay: async (req) => (down ? { ok: false, retryable: true, reason: 'bank asleep' } : dev.pay(req)) };
    const first = await settleCampaign(settleDeps(ctx, flaky), c.id);
    expect(first).toMatchObject({ run: { attempted: 2, failed: 2, delivered: 0 }, delivery: { pending: 2, delivered: 0 } });
    down = false;
    const second = await deliverRedPackets(settleDeps(ctx, flaky), { campaignId: c.id });
    expect(second).toEqual({ attempted: 2, delivered: 2, failed: 0, stuck: 0 });
    expect(dev.transfers().reduce((s, t) => s + t.amount, 0)).toBe(300);
  });

  it('are left stuck, visibly and never retried, when the provider refuses for good or attempts run out', async () => {
    const c = await endedCampaign({ prizePool: 300 });
    const team = await teamWith(ctx, c.id, [1, 2]);
    ctx.clock.set(afterEnd(c));
    const [refusedUser] = team.members;
    const calls: string[] = [];
    const picky: PayoutProvider = {
      name: 'picky',
      async pay(req) {
        calls.push(req.userId);
        if (req.userId === refusedUser!.id) return { ok: false, retryable: false, reason: 'wallet cannot receive' };
        throw new Error('connection reset');
      },
    };
    const deps = settleDeps(ctx, picky, { payoutMaxAttempts: 2 });
    expect((await settleCampaign(deps, c.id)).run).toEqual({ attempted: 2, delivered: 0, failed: 1, stuck: 1 });
    expect((await deliverRedPackets(deps, { campaignId: c.id }))).toEqual({ attempted: 1, delivered: 0, failed: 0, stuck: 1 });
    expect(await deliverRedPackets(deps, { campaignId: c.id })).toEqual({ attempted: 0, delivered: 0, failed: 0, stuck: 0 });
    expect(calls).toHaveLength(3);
    const view = (await refusedUser!.get(`/v1/campaigns/${c.id}/redpackets`)).json();
    expect(view.pool.mine.delivery).toBe('failed');
    const attempts = await rows<{ user_id: string; status: string; reason: string }>(
      ctx.database.db,
      sql`select rp.user_id, a.status, a.reason from red_packet_payout_attempts a join red_packets rp on rp.id = a.red_packet_id
          where rp.campaign_id = ${c.id} order by a.id`,
    );
    expect(attempts.filter((a) => a.user_id === refusedUser!.id).map((a) => [a.status, a.reason])).toEqual([['stuck', 'wallet cannot receive']]);
    expect(attempts.filter((a) => a.user_id !== refusedUser!.id).map((a) => [a.status, a.reason])).toEqual([
      ['failed', 'provider error: connection reset'],
      ['stuck', 'provider error: connection reset'],
    ]);
  });

  it('deliver the tier red packets claimed during the campaign along with the pool', async () => {
    const c = await endedCampaign({ redPacketTiers: [{ energy: 20, amount: 88 }], prizePool: 0 });
    const me = await login(ctx);
    await earn(ctx, me, c.id, 1);
    expect((await me.post('/v1/redpackets/claim', { campaignId: c.id, tier: 1 })).statusCode).toBe(201);
    ctx.clock.set(afterEnd(c));
    const provider = recordingProvider();
    expect((await settleCampaign(settleDeps(ctx, provider), c.id)).run.delivered).toBe(1);
    expect(provider.calls).toEqual([expect.objectContaining({ userId: me.id, amount: 88, memo: '集赞红包' })]);
    expect(provider.calls[0]!.payoutId).toMatch(/^[0-9a-f]{32}$/);
  });
});
