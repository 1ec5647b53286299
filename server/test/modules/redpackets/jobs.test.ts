import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rows } from '../../../src/db/client.js';
import { JOBS } from '../../../src/jobs/registry.js';
import { startJobs, type JobLogger } from '../../../src/jobs/runner.js';
import { redPacketJobs } from '../../../src/modules/redpackets/redpackets.jobs.js';
import { verifyRedPackets } from '../../../src/modules/redpackets/redpackets.service.js';
import { campaign, login, T0, testApp, testConfig } from '../../helper.js';
import { payoutsFor } from '../../../src/modules/redpackets/payouts.js';
import { earn, settleDeps, teamWith } from './fixtures.js';

/** The red-packet jobs as the runner runs them, in every instance at once (truly concurrent under `pnpm test:pg`). */
const ctx = testApp();
beforeEach(() => ctx.clock.set(T0));

const HOUR = 3600_000;
const quiet: JobLogger = { info: () => {}, error: () => {} };

const until = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 400 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
};

async function settlementsOf(campaignId: string): Promise<number> {
  const [row] = await rows<{ n: number }>(ctx.database.db, sql`select count(*)::int as n from red_packet_settlements where campaign_id = ${campaignId}`);
  return Number(row?.n ?? 0);
}

/** Each red packet of a campaign with its transfers that are not cancelled, and their states. */
async function transfersOf(campaignId: string) {
  return rows<{ id: number; kind: string; amount: number; live: number; states: string[] | null }>(
    ctx.database.db,
    sql`select r.id, r.kind, r.amount,
               (select count(*)::int from red_packet_transfers t where t.red_packet_id = r.id and t.state <> 'cancelled') as live,
               (select array_agg(t.state) from red_packet_transfers t where t.red_packet_id = r.id) as states
        from red_packets r where r.campaign_id = ${campaignId} order by r.id`,
  ).then((rs) => rs.map((r) => ({ ...r, amount: Number(r.amount), live: Number(r.live) })));
}

function jobDepsOnSimulator(holdMinutes = 0) {
  const transfers = payoutsFor({ config: testConfig({ JIZAN_PAYMENT_PROVIDER: 'simulator' }), db: ctx.database.db, clock: ctx.clock });
  transfers.holdMinutes = holdMinutes;
  return { redPackets: settleDeps(ctx, { holdMinutes }), transfers };
}

describe('red-packet jobs', () => {
  it('are registered on the job runner beside the group-buy ones', () => {
    expect(JOBS.map((j) => j.name)).toEqual(expect.arrayContaining(['redpackets-settlement', 'redpackets-transfers']));
  });

  it('settle an ended campaign by themselves, exactly once, with two runners at once, and offer every share one transfer', async () => {
    const c = await campaign(ctx, {
      rules: { redPacketBudget: 50_000, prizePool: 9_000, redPacketTiers: [{ energy: 20, amount: 188 }] },
      endsAt: new Date(T0.getTime() + HOUR),
    });
    const a = await teamWith(ctx, c.id, [1, 2]);
    await teamWith(ctx, c.id, [3]);
    const claim = await a.members[0]!.post('/v1/redpackets/claim', { campaignId: c.id, tier: 1 });
    expect(claim.statusCode).toBe(201);

    const deps = jobDepsOnSimulator();
    ctx.clock.set(new Date(c.endsAt.getTime() + 30_000));
    const early = [startJobs(deps, redPacketJobs, { intervalMs: 5, log: quiet })];
    await new Promise((r) => setTimeout(r, 100));
    await Promise.all(early.map((r) => r.stop()));
    expect(await settlementsOf(c.id)).toBe(0);

    ctx.clock.set(new Date(c.endsAt.getTime() + 5 * 60_000));
    const runners = [startJobs(deps, redPacketJobs, { intervalMs: 5, log: quiet }), startJobs(deps, redPacketJobs, { intervalMs: 5, log: quiet })];
    await until(async () => {
      const t = await transfersOf(c.id);
      return t.filter((p) => p.kind === 'pool').length === 3 && t.every((p) => p.states?.includes('wait_user_confirm'));
    });
    await new Promise((r) => setTimeout(r, 50));
    await Promise.all(runners.map((r) => r.stop()));

    expect(await settlementsOf(c.id)).toBe(1);
    const t = await transfersOf(c.id);
    expect(t.map((p) => p.live)).toEqual([1, 1, 1, 1]);
    expect(t.filter((p) => p.kind === 'pool').reduce((s, p) => s + p.amount, 0)).toBe(9_000);
    const { transfers } = await deps.transfers.simulator!.platform();
    const outBills = await rows<{ out_bill_no: string }>(ctx.database.db, sql`select t.out_bill_no from red_packet_transfers t join red_packets r on r.id = t.red_packet_id where r.campaign_id = ${c.id}`);
    expect(outBills.reduce((s, b) => s + transfers.bills.get(b.out_bill_no)!.request.transfer_amount, 0)).toBe(9_000 + 188);
    expect(await verifyRedPackets(ctx.database.db)).toEqual([]);
  });

  it('review and transfer a tier red packet claimed while the campaign is live once its hold is over, without waiting for its end', async () => {
    const c = await campaign(ctx, { rules: { redPacketBudget: 1_000, redPacketTiers: [{ energy: 20, amount: 188 }] } });
    const user = await login(ctx);
    await earn(ctx, user, c.id, 1);
    expect((await user.post('/v1/redpackets/claim', { campaignId: c.id, tier: 1 })).statusCode).toBe(201);
    ctx.clock.set(new Date(T0.getTime() + 31 * 60_000));
    const runner = startJobs(jobDepsOnSimulator(30), redPacketJobs, { intervalMs: 5, log: quiet });
    await until(async () => (await transfersOf(c.id))[0]?.live === 1);
    await runner.stop();
    const list = (await user.get(`/v1/me/redpackets?campaignId=${c.id}`)).json() as { redPackets: { delivery: string }[] };
    expect(list.redPackets.map((p) => p.delivery)).toEqual(['wait_user_confirm']);
    expect(await settlementsOf(c.id)).toBe(0);
  });

  it('review but transfer nothing where no payout provider is configured', async () => {
    const c = await campaign(ctx, { rules: { redPacketBudget: 1_000, redPacketTiers: [{ energy: 20, amount: 188 }] } });
    const user = await login(ctx);
    await earn(ctx, user, c.id, 1);
    expect((await user.post('/v1/redpackets/claim', { campaignId: c.id, tier: 1 })).statusCode).toBe(201);
    ctx.clock.set(new Date(T0.getTime() + 31 * 60_000));
    const [, transfer] = redPacketJobs;
    const deps = jobDepsOnSimulator(30);
    deps.transfers.payouts = null;
    await transfer!.run(deps, new AbortController().signal);
    expect(await transfersOf(c.id)).toEqual([{ id: expect.anything(), kind: 'tier', amount: 188, live: 0, states: null }]);
    const list = (await user.get(`/v1/me/redpackets?campaignId=${c.id}`)).json() as { redPackets: { delivery: string }[] };
    expect(list.redPackets.map((p) => p.delivery)).toEqual(['transferring']);
  });
});
