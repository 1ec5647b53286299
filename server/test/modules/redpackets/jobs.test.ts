import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rows } from '../../../src/db/client.js';
import { JOBS } from '../../../src/jobs/registry.js';
import { startJobs, type JobLogger } from '../../../src/jobs/runner.js';
import { redPacketJobs } from '../../../src/modules/redpackets/redpackets.jobs.js';
import { verifyRedPackets } from '../../../src/modules/redpackets/redpackets.service.js';
import { campaign, login, T0, testApp } from '../../helper.js';
import { earn, paidOut, recordingProvider, settleDeps, teamWith } from './fixtures.js';

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

describe('red-packet jobs', () => {
  it('are registered on the job runner beside the group-buy ones', () => {
    expect(JOBS.map((j) => j.name)).toEqual(expect.arrayContaining(['redpackets-settlement', 'redpackets-delivery']));
  });

  it('settle an ended campaign by themselves, exactly once, with two runners at once, and pay every share once', async () => {
    const c = await campaign(ctx, {
      rules: { redPacketBudget: 50_000, prizePool: 9_000, redPacketTiers: [{ energy: 20, amount: 188 }] },
      endsAt: new Date(T0.getTime() + HOUR),
    });
    const a = await teamWith(ctx, c.id, [1, 2]);
    await teamWith(ctx, c.id, [3]);
    // A tier claimed while live is paid by the same jobs.
    const claim = await a.members[0]!.post('/v1/redpackets/claim', { campaignId: c.id, tier: 1 });
    expect(claim.statusCode).toBe(201);

    const provider = recordingProvider();
    const deps = { redPackets: settleDeps(ctx, provider) };
    // Before the end (and its grace period) nothing is settled.
    ctx.clock.set(new Date(c.endsAt.getTime() + 30_000));
    const early = [startJobs(deps, redPacketJobs, { intervalMs: 5, log: quiet })];
    await new Promise((r) => setTimeout(r, 100));
    await Promise.all(early.map((r) => r.stop()));
    expect(await settlementsOf(c.id)).toBe(0);

    ctx.clock.set(new Date(c.endsAt.getTime() + 5 * 60_000));
    const runners = [startJobs(deps, redPacketJobs, { intervalMs: 5, log: quiet }), startJobs(deps, redPacketJobs, { intervalMs: 5, log: quiet })];
    await until(async () => (await paidOut(ctx, c.id)).filter((p) => p.kind === 'pool').length === 3 && (await paidOut(ctx, c.id)).every((p) => p.successes === 1));
    await new Promise((r) => setTimeout(r, 50)); // a few more ticks of both runners
    await Promise.all(runners.map((r) => r.stop()));

    expect(await settlementsOf(c.id)).toBe(1);
    const paid = await paidOut(ctx, c.id);
    expect(paid.map((p) => p.successes)).toEqual([1, 1, 1, 1]);
    expect(paid.filter((p) => p.kind === 'pool').reduce((s, p) => s + p.amount, 0)).toBe(9_000);
    const asked = provider.calls.filter((call) => call.campaignId === c.id).map((call) => call.payoutId);
    expect(asked.length).toBe(new Set(asked).size);
    expect(new Set(asked).size).toBe(4);
    expect(provider.transfers().filter((t) => asked.includes(t.payoutId)).reduce((s, t) => s + t.amount, 0)).toBe(9_000 + 188);
    expect(await verifyRedPackets(ctx.database.db)).toEqual([]);
  });

  it('pay a tier red packet claimed while the campaign is live, without waiting for its end', async () => {
    const c = await campaign(ctx, { rules: { redPacketBudget: 1_000, redPacketTiers: [{ energy: 20, amount: 188 }] } });
    const user = await login(ctx);
    await earn(ctx, user, c.id, 1);
    expect((await user.post('/v1/redpackets/claim', { campaignId: c.id, tier: 1 })).statusCode).toBe(201);
    const runner = startJobs({ redPackets: settleDeps(ctx, recordingProvider()) }, redPacketJobs, { intervalMs: 5, log: quiet });
    await until(async () => (await paidOut(ctx, c.id))[0]?.successes === 1);
    await runner.stop();
    const list = (await user.get(`/v1/me/redpackets?campaignId=${c.id}`)).json() as { redPackets: { delivery: string }[] };
    expect(list.redPackets.map((p) => p.delivery)).toEqual(['delivered']);
    expect(await settlementsOf(c.id)).toBe(0);
  });

  it('do nothing where no payout provider is configured', async () => {
    const [settle, deliver] = redPacketJobs;
    const signal = new AbortController().signal;
    expect(await settle!.run({ redPackets: null }, signal)).toBe(0);
    expect(await deliver!.run({ redPackets: null }, signal)).toBe(0);
  });
});
