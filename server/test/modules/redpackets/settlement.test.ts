import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rows } from '../../../src/db/client.js';
import { splitPool } from '../../../src/modules/redpackets/pool-split.js';
import { findCampaignId, verifyRedPackets } from '../../../src/modules/redpackets/redpackets.service.js';
import { campaignsDueForSettlement, settleCampaign } from '../../../src/modules/redpackets/settlement.service.js';
import { campaign, login, REAL_PG_URL, T0, testApp } from '../../helper.js';
import { budgetOf, earn, paidOut, settleDeps, teamWith } from './fixtures.js';

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

describe('settling the prize pool', () => {
  it('splits the pool by team energy, then by each member’s contribution, from the ledger, and pays each share once', async () => {
    const c = await endedCampaign({ prizePool: 10_000, prizePoolMinTeamEnergy: 50 });
    const [a, b, small] = await threeTeams(c.id);
    ctx.clock.set(afterEnd(c));
    const report = await settleCampaign(settleDeps(ctx), c.id);

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
    expect(report).toMatchObject({ planned: true, poolRule: 10_000, pool: 10_000, paid: 10_000, teams: 2 });
    const paid = await paidOut(ctx, c.id);
    expect(Object.fromEntries(paid.map((p) => [p.user_id, p.amount]))).toEqual(
      Object.fromEntries(expected.shares.map((s) => [s.userId, s.amount])),
    );
    expect(paid.map((p) => p.user_id)).not.toContain(small.members[0]!.id);
    expect(await budgetOf(ctx, c.id)).toEqual({ budget: 100_000, remaining: 90_000 });
    expect(await verifyRedPackets(ctx.database.db)).toEqual([]);

    // Settling again changes nothing.
    const again = await settleCampaign(settleDeps(ctx), c.id);
    expect(again).toMatchObject({ planned: false, paid: 10_000 });
    expect(await paidOut(ctx, c.id)).toEqual(paid);
  });

  it('refuses to settle before the campaign ended plus its grace period', async () => {
    const c = await endedCampaign({ prizePool: 100 });
    await expect(settleCampaign(settleDeps(ctx), c.id)).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_ENDED' });
    ctx.clock.set(new Date(c.endsAt.getTime() + 59_000));
    await expect(settleCampaign(settleDeps(ctx), c.id)).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_ENDED' });
    ctx.clock.set(new Date(c.endsAt.getTime() + 60_000));
    await expect(settleCampaign(settleDeps(ctx), c.id)).resolves.toMatchObject({ planned: true });
  });

  it('shrinks the pool to what the budget has left after tier red packets, never more', async () => {
    const c = await endedCampaign({ redPacketTiers: [{ energy: 20, amount: 60 }], redPacketBudget: 100, prizePool: 100 });
    const team = await teamWith(ctx, c.id, [1, 1]);
    expect((await team.members[0]!.post('/v1/redpackets/claim', { campaignId: c.id, tier: 1 })).statusCode).toBe(201);
    ctx.clock.set(afterEnd(c));
    const report = await settleCampaign(settleDeps(ctx), c.id);
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
    expect(await settleCampaign(settleDeps(ctx), c.id)).toMatchObject({ planned: true, pool: 500, paid: 0, teams: 0 });
    expect(await budgetOf(ctx, c.id)).toEqual({ budget: 100_000, remaining: 100_000 });
    expect(await settleCampaign(settleDeps(ctx), c.id)).toMatchObject({ planned: false, paid: 0 });
  });

  it('lists ended campaigns with a pool to settle for the job, and forgets each once settled', async () => {
    const due = await endedCampaign({ prizePool: 100 });
    const noPool = await endedCampaign({});
    const live = await campaign(ctx, { rules: { redPacketBudget: 100, prizePool: 100 } });
    const deps = settleDeps(ctx);
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
  it('killed while writing the split: nothing was written, no budget moved, and the rerun settles it all', async () => {
    const c = await endedCampaign({ prizePool: 1000 });
    await teamWith(ctx, c.id, [1, 2]);
    await teamWith(ctx, c.id, [3]);
    ctx.clock.set(afterEnd(c));
    // Dies at the very last step, after every pool red packet was written, as the budget moves.
    const cure = await breakAt('red_packet_budgets', 'update', 'true');
    await expect(settleCampaign(settleDeps(ctx), c.id)).rejects.toThrow();
    await cure();
    expect(await paidOut(ctx, c.id)).toEqual([]);
    // Not even the budget row it opened survived: the whole plan is one transaction.
    expect(await budgetOf(ctx, c.id)).toBeUndefined();
    expect(await rows(ctx.database.db, sql`select 1 from red_packet_settlements where campaign_id = ${c.id}`)).toEqual([]);

    expect(await settleCampaign(settleDeps(ctx), c.id)).toMatchObject({ planned: true, paid: 1000, delivery: { pending: 3 } });
    expect((await paidOut(ctx, c.id)).reduce((sum, p) => sum + p.amount, 0)).toBe(1000);
    expect(await verifyRedPackets(ctx.database.db)).toEqual([]);
  });
});

describe(`concurrent settlement runs on ${REAL_PG_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  it('two runs at once write one split: one red packet per share, the pool exactly', async () => {
    const c = await endedCampaign({ prizePool: 77_777 });
    for (let i = 0; i < 5; i++) await teamWith(ctx, c.id, [1, 1, 2, 3, 1]);
    ctx.clock.set(afterEnd(c));
    const reports = await Promise.all([0, 1].map(() => settleCampaign(settleDeps(ctx), c.id)));
    expect(reports.map((r) => r.planned).sort()).toEqual([false, true]);
    const paid = await paidOut(ctx, c.id);
    expect(paid).toHaveLength(25);
    expect(paid.reduce((sum, p) => sum + p.amount, 0)).toBe(77_777);
    expect(await verifyRedPackets(ctx.database.db)).toEqual([]);
  });
});
