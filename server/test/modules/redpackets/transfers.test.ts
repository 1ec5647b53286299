import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rows } from '../../../src/db/client.js';
import { payoutsFor, type Payouts } from '../../../src/modules/redpackets/payouts.js';
import { verifyRedPackets } from '../../../src/modules/redpackets/redpackets.service.js';
import { runTransfers } from '../../../src/modules/redpackets/transfers.service.js';
import { wechatRiskRank } from '../../../src/lib/wechat-reach.js';
import { riskRanks } from '../../../src/sim/wechat/risk-control.js';
import { campaign, errorCode, login, share, T0, testApp, testConfig, setup, type TestContext, type Client } from '../../helper.js';

async function earn(c: TestContext, user: Client, campaignId: string, friends: number): Promise<void> {
  const card = await share(user, campaignId);
  for (let i = 0; i < friends; i++) {
    const res = await (await login(c)).post(`/v1/shares/${card}/like`);
    if (res.statusCode !== 200) throw new Error(`like failed: ${res.body}`);
  }
}

async function budgetOf(campaignId: string): Promise<number> {
  const [row] = await rows<{ remaining: number }>(ctx.database.db, sql`select remaining from red_packet_budgets where campaign_id = ${campaignId}`);
  return Number(row!.remaining);
}

const ADMIN_KEY = 'test-admin-key-0123456789';
const ctx = testApp({ config: { JIZAN_ADMIN_KEY: ADMIN_KEY, JIZAN_PAYMENT_PROVIDER: 'simulator' } });
const MIN = 60_000;
const tiers = [
  { energy: 20, amount: 188 },
  { energy: 60, amount: 588 },
];

let payouts: Payouts;
beforeEach(() => {
  ctx.clock.set(T0);
  // The jobs' payouts on the app's clock: the same simulated platform the app's routes confirm on.
  payouts ??= payoutsFor({ config: testConfig({ JIZAN_PAYMENT_PROVIDER: 'simulator' }), db: ctx.database.db, clock: ctx.clock });
});

const admin = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
  ctx.app.inject({ method, url: `/admin/v1${url}`, headers: { authorization: `Bearer ${ADMIN_KEY}` }, ...(payload ? { payload } : {}) });

async function claimedPacket() {
  const c = await campaign(ctx, { rules: { redPacketTiers: tiers, redPacketBudget: 10_000 } });
  const me = await login(ctx);
  await earn(ctx, me, c.id, 1);
  const res = await me.post('/v1/redpackets/claim', { campaignId: c.id, tier: 1 });
  expect(res.statusCode).toBe(201);
  return { c, me, packet: res.json().redPacket as { id: string; delivery: string; holdUntil: string } };
}

async function mine(me: Awaited<ReturnType<typeof login>>) {
  return (await me.get('/v1/me/redpackets')).json().redPackets[0] as { id: string; delivery: string; holdUntil: string | null };
}

const transfersOf = (id: string) =>
  rows<{ out_bill_no: string; state: string }>(ctx.database.db, sql`select out_bill_no, state from red_packet_transfers where red_packet_id = ${Number(id)} order by id`);

describe('cash rewards: hold, review, merchant transfer, confirmation', () => {
  it('holds a claim for 30 minutes, then transfers it; the user confirms and it arrives (已到账)', async () => {
    const { me, packet, c } = await claimedPacket();
    expect(packet).toMatchObject({ delivery: 'held', holdUntil: new Date(T0.getTime() + 30 * MIN).toISOString() });
    expect((await runTransfers(payouts)).started).toBe(0);
    expect((await mine(me)).delivery).toBe('held');

    ctx.clock.set(new Date(T0.getTime() + 31 * MIN));
    const run = await runTransfers(payouts);
    expect(run).toMatchObject({ reviewed: 1, flagged: 0, started: 1 });
    expect((await mine(me)).delivery).toBe('wait_user_confirm');

    const confirm = await me.post(`/v1/redpackets/${packet.id}/confirm`);
    expect(confirm.statusCode).toBe(200);
    const params = confirm.json();
    expect(params).toMatchObject({ mchId: payouts.payouts!.mchId, appId: payouts.payouts!.appId, simulated: true });
    const { transfers } = await payouts.simulator!.platform();
    const bill = transfers.bills.get((await transfersOf(packet.id))[0]!.out_bill_no)!;
    expect(bill.request).toMatchObject({ transfer_amount: 188, transfer_scene_id: '1000' });
    expect(bill.request.transfer_scene_report_infos.map((i) => i.info_type)).toEqual(['活动名称', '奖励说明']);

    const sheet = await me.post('/v1/redpackets/simulator/confirm', { mchId: params.mchId, appId: params.appId, package: params.package });
    expect(sheet.statusCode).toBe(200);
    expect((await mine(me)).delivery).toBe('success');
    expect(await verifyRedPackets(ctx.database.db, { campaignId: c.id })).toEqual([]);
    // Confirming again: nothing left to confirm.
    expect(errorCode(await me.post(`/v1/redpackets/${packet.id}/confirm`))).toBe('TRANSFER_NOT_CONFIRMABLE');
  });

  it('sends a flagged reward to review; a void pays nothing and returns its amount to the budget', async () => {
    const { me, packet, c } = await claimedPacket();
    expect(await budgetOf(c.id)).toBe(10_000 - 188);
    await ctx.database.db.execute(
      sql`insert into fraud_flags (kind, subject, campaign_id, user_id, evidence, detected_at)
          values ('burst', ${'burst:test:' + me.id}, ${c.id}, ${me.id}, '{}'::jsonb, ${T0})`,
    );
    ctx.clock.set(new Date(T0.getTime() + 31 * MIN));
    expect(await runTransfers(payouts)).toMatchObject({ reviewed: 1, flagged: 1, started: 0 });
    expect((await mine(me)).delivery).toBe('review');

    const list = await admin('GET', '/rewards?status=review');
    expect(list.statusCode).toBe(200);
    const item = list.json().items.find((r: { id: string }) => r.id === packet.id);
    expect(item.reason).toContain('burst');
    expect(item).toMatchObject({ userId: me.id, nickname: me.nickname, amount: 188 });

    const voided = await admin('POST', `/rewards/${packet.id}/void`, { note: '刷赞' });
    expect(voided.json()).toEqual({ returned: 188 });
    expect(await budgetOf(c.id)).toBe(10_000);
    expect((await mine(me)).delivery).toBe('voided');
    expect(errorCode(await admin('POST', `/rewards/${packet.id}/release`, {}))).toBe('REWARD_NOT_IN_REVIEW');
    await runTransfers(payouts);
    expect(await transfersOf(packet.id)).toEqual([]);
    expect(await verifyRedPackets(ctx.database.db, { campaignId: c.id })).toEqual([]);
    // The voided user claims nothing more in this campaign.
    await earn(ctx, me, c.id, 2);
    expect(errorCode(await me.post('/v1/redpackets/claim', { campaignId: c.id, tier: 2 }))).toBe('REWARD_VOIDED');
    const audit = await rows<{ action: string }>(ctx.database.db, sql`select action from admin_audit where target_id = ${packet.id}`);
    expect(audit.map((a) => a.action)).toEqual(['reward.void']);
  });

  it('asks the platform for the claimant\'s risk rank at their last login\'s address: rank 3 goes to review, and a platform that cannot answer decides nothing', async () => {
    const platform = ctx.app.wechat!;
    const ranks = riskRanks(platform.sim!);
    const risky = await claimedPacket();
    const calm = await claimedPacket();
    const [risker] = await rows<{ openid: string }>(ctx.database.db, sql`select openid from users where id = (select user_id from red_packets where id = ${Number(risky.packet.id)})`);
    ranks.set(risker!.openid, 3);
    const withRank: Payouts = { ...payouts, riskRank: wechatRiskRank(platform.client) };
    const asked = platform.sim!.count('/wxa/getuserriskrank');
    ctx.clock.set(new Date(T0.getTime() + 31 * MIN));
    await runTransfers(withRank);
    expect(platform.sim!.count('/wxa/getuserriskrank') - asked).toBeGreaterThanOrEqual(2);
    expect((await mine(risky.me)).delivery).toBe('review');
    const item = (await admin('GET', '/rewards?status=review')).json().items.find((r: { id: string }) => r.id === risky.packet.id);
    expect(item.reason).toContain('platform risk rank 3');
    expect((await mine(calm.me)).delivery).toBe('wait_user_confirm');

    // The platform down during the review: the rank is unknown, the other checks clear it.
    const down = await claimedPacket();
    platform.sim!.fail({ path: '/wxa/getuserriskrank', times: 5, kind: 'errcode', errcode: -1, errmsg: 'system error' });
    ctx.clock.set(new Date(T0.getTime() + 62 * MIN));
    await runTransfers(withRank);
    platform.sim!.clearFaults();
    expect((await mine(down.me)).delivery).toBe('wait_user_confirm');
  });

  it('refuses a second claim of the same tier', async () => {
    const { me, c } = await claimedPacket();
    expect(errorCode(await me.post('/v1/redpackets/claim', { campaignId: c.id, tier: 1 }))).toBe('ALREADY_CLAIMED');
  });

  it('cancels a transfer nobody confirmed in time, refuses its confirmation, and offers it again under a new number', async () => {
    const { me, packet } = await claimedPacket();
    ctx.clock.set(new Date(T0.getTime() + 31 * MIN));
    await runTransfers(payouts);
    const [first] = await transfersOf(packet.id);
    expect(first!.state).toBe('wait_user_confirm');
    // A day later, unconfirmed: the poll cancels it on the platform.
    ctx.clock.set(new Date(T0.getTime() + (31 + 24 * 60 + 1) * MIN));
    // (Other tests' unconfirmed transfers are cancelled by the same pass.)
    expect((await runTransfers(payouts)).cancelled).toBeGreaterThanOrEqual(1);
    const after = await transfersOf(packet.id);
    expect(after[0]).toEqual({ out_bill_no: first!.out_bill_no, state: 'cancelled' });
    // The same run offered it again only after the platform said CANCELLED.
    expect(after).toHaveLength(2);
    expect(after[1]!.state).toBe('wait_user_confirm');
    const { transfers } = await payouts.simulator!.platform();
    const old = transfers.bills.get(first!.out_bill_no)!;
    expect(old.state).toBe('CANCELLED');
    expect((await mine(me)).delivery).toBe('wait_user_confirm');
    // The cancelled bill's package can no longer be confirmed; the new one's can.
    const stale = await me.post('/v1/redpackets/simulator/confirm', { mchId: payouts.payouts!.mchId, appId: payouts.payouts!.appId, package: old.packageInfo });
    expect(stale.statusCode).toBe(400);
    expect(stale.body).toContain('已撤销');
    const fresh = (await me.post(`/v1/redpackets/${packet.id}/confirm`)).json();
    expect(fresh.package).not.toBe(old.packageInfo);
  });

  it('finds the outcome of a transfer whose answer was lost (platform down) under the same number, paying once', async () => {
    const { me, packet, c } = await claimedPacket();
    const { sim, transfers } = await payouts.simulator!.platform();
    sim.faults.push({ method: 'POST', path: '/v3/fund-app/mch-transfer/transfer-bills', kind: 'status', status: 500, applied: true });
    ctx.clock.set(new Date(T0.getTime() + 31 * MIN));
    await runTransfers(payouts);
    const [t] = await transfersOf(packet.id);
    expect(t!.state).toBe('transferring');
    expect((await mine(me)).delivery).toBe('transferring');
    ctx.clock.set(new Date(T0.getTime() + 32 * MIN));
    await runTransfers(payouts);
    expect(await transfersOf(packet.id)).toEqual([{ out_bill_no: t!.out_bill_no, state: 'wait_user_confirm' }]);
    expect([...transfers.bills.values()].filter((b) => b.request.openid === transfers.bills.get(t!.out_bill_no)!.request.openid)).toHaveLength(1);
    expect(await verifyRedPackets(ctx.database.db, { campaignId: c.id })).toEqual([]);
  });
});

describe('a process killed between the platform\'s accept and our record', () => {
  it('finds the transfer on restart under the number it committed first, and never asks for a second one', async () => {
    const { me, packet } = await claimedPacket();
    ctx.clock.set(new Date(T0.getTime() + 31 * MIN));
    const { sim, transfers } = await payouts.simulator!.platform();
    // The platform accepts, then the answer never arrives (the process died as it came back).
    sim.faults.push({ method: 'POST', path: '/v3/fund-app/mch-transfer/transfer-bills', kind: 'reset', applied: true });
    await runTransfers(payouts);
    const [t] = await transfersOf(packet.id);
    expect(t!.state).toBe('transferring');
    expect(transfers.bills.get(t!.out_bill_no)!.state).toBe('WAIT_USER_CONFIRM');
    // "Restart": a fresh set of payouts (new process) on the same database and platform.
    const restarted = payoutsFor({ config: testConfig({ JIZAN_PAYMENT_PROVIDER: 'simulator' }), db: ctx.database.db, clock: ctx.clock });
    ctx.clock.set(new Date(T0.getTime() + 32 * MIN));
    await runTransfers(restarted);
    expect(await transfersOf(packet.id)).toEqual([{ out_bill_no: t!.out_bill_no, state: 'wait_user_confirm' }]);
    expect((await mine(me)).delivery).toBe('wait_user_confirm');
  });
});

describe('without a payout provider', () => {
  it('refuses a claim with PAYOUT_UNAVAILABLE and debits nothing', async () => {
    const other = await setup({ config: { JIZAN_PAYMENT_PROVIDER: 'none' } });
    try {
      const c = await campaign(other, { rules: { redPacketTiers: tiers, redPacketBudget: 10_000 } });
      const me = await login(other);
      await earn(other, me, c.id, 1);
      const res = await me.post('/v1/redpackets/claim', { campaignId: c.id, tier: 1 });
      expect(res.statusCode).toBe(503);
      expect(errorCode(res)).toBe('PAYOUT_UNAVAILABLE');
      const left = await rows<{ n: number }>(other.database.db, sql`select count(*)::int as n from red_packets where campaign_id = ${c.id}`);
      expect(left[0]!.n).toBe(0);
    } finally {
      await other.close();
    }
  });
});

describe('pnpm verify-ledger on transfers, holds and voids: planted bad rows are reported', () => {
  const problemsOf = async (campaignId: string) => (await verifyRedPackets(ctx.database.db, { campaignId })).map((p) => p.problem);

  it('a transfer made before the hold ended, a voided packet that was paid anyway, a budget that drifted', async () => {
    const { packet, c } = await claimedPacket();
    expect(await problemsOf(c.id)).toEqual([]);
    const id = Number(packet.id);
    // Paid out early: a transfer row dated inside the hold.
    await ctx.database.db.execute(
      sql`insert into red_packet_transfers (red_packet_id, out_bill_no, state, provider, created_at, updated_at)
          values (${id}, ${'plantedearly' + id}, 'success', 'planted', ${T0}, ${T0})`,
    );
    expect(await problemsOf(c.id)).toEqual([expect.stringContaining('before its hold ended')]);
    // And voided as well: its amount came back to the budget although the money left.
    await ctx.database.db.execute(sql`insert into red_packet_budget_returns (red_packet_id, campaign_id, amount) values (${id}, ${c.id}, 188)`);
    const problems = await problemsOf(c.id);
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining('was voided yet transferred'), expect.stringMatching(/remaining .* is not budget/)]));
  });

  it('refuses a second live transfer of one red packet outright (the database, not only the check)', async () => {
    const { packet } = await claimedPacket();
    const id = Number(packet.id);
    const plant = (no: string) =>
      ctx.database.db.execute(sql`insert into red_packet_transfers (red_packet_id, out_bill_no, state, provider) values (${id}, ${no}, 'transferring', 'planted')`);
    await plant(`plantedone${id}`);
    await expect(plant(`plantedtwo${id}`)).rejects.toThrow();
  });
});
