import { describe, expect, it } from 'vitest';
import type { AdminUser, CampaignOverview, FraudReviewResult, LedgerAudit } from '@jizan/shared';
import { findDrift } from '../../../src/modules/ledger/ledger.service.js';
import { payoutsFor } from '../../../src/modules/redpackets/payouts.js';
import { runTransfers } from '../../../src/modules/redpackets/transfers.service.js';
import { verifyRedPackets } from '../../../src/modules/redpackets/redpackets.service.js';
import { settleCampaign } from '../../../src/modules/redpackets/settlement.service.js';
import { T0, campaign, createTeam, login, share, testApp, testConfig, unique } from '../../helper.js';
import { settleDeps } from '../redpackets/fixtures.js';

/**
 * Red packets as operators see them, on a world counted by hand:
 *
 *   Sharer S (alone in a team) gets five first likes at ×2 — honest H and F1–F4, who share one phone —
 *   so S has 100 energy. The ladder is 40 → 188 fen and 100 → 588 fen, the budget 10,000 fen, the
 *   prize pool 1,000 fen. S claims both rungs (776 fen); after the end S's team takes the whole pool
 *   (S's contribution: 100). Then an operator voids F1's like: S is down to 80, under the second
 *   rung's 100 and under the pool share's 100 — both red packets stay paid and are listed as unbacked.
 */
const ADMIN_KEY = 'redpackets-admin-key-0123456789';
const ctx = testApp({ config: { JIZAN_ADMIN_KEY: ADMIN_KEY, JIZAN_TOKEN_TTL_SECONDS: String(7 * 24 * 3600) } });
const admin = (method: 'GET' | 'POST', url: string, payload?: object) =>
  ctx.app.inject({ method, url: `/admin/v1${url}`, headers: { authorization: `Bearer ${ADMIN_KEY}` }, ...(payload ? { payload } : {}) });

async function loginOn(deviceId: string) {
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { code: `dev:${unique('f')}` }, headers: { 'x-device-id': deviceId } });
  const body = res.json() as { token: string; user: { id: string } };
  return { id: body.user.id, post: (url: string) => ctx.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${body.token}` } }) };
}

describe('red packets in the admin API', () => {
  it('overview, user view, ledger audit and a void after red packets were paid on the voided energy', async () => {
    ctx.clock.set(T0);
    const endsAt = new Date(T0.getTime() + 3600_000);
    const c = await campaign(ctx, {
      endsAt,
      rules: { redPacketTiers: [{ energy: 40, amount: 188 }, { energy: 100, amount: 588 }], redPacketBudget: 10_000, prizePool: 1_000 },
    });
    const s = await login(ctx);
    await createTeam(s, c.id);
    const card = await share(s, c.id);
    const phone = unique('phone');
    const honest = await loginOn(unique('phone'));
    const fraudsters = [await loginOn(phone), await loginOn(phone), await loginOn(phone), await loginOn(phone)];
    for (const u of [honest, ...fraudsters]) expect((await u.post(`/v1/shares/${card}/like`)).statusCode).toBe(200);

    const before = (await admin('GET', `/campaigns/${c.id}/overview`)).json() as CampaignOverview;
    expect(before.redPackets).toEqual({ claimed: 0, poolShares: 0, paid: 0, budget: 10_000, budgetLeft: 10_000, delivered: 0, pending: 0, failed: 0, settledAt: null });

    for (const tier of [1, 2]) {
      const claim = await s.post('/v1/redpackets/claim', { campaignId: c.id, tier });
      expect(claim.statusCode, claim.body).toBe(201);
    }
    const claimed = (await admin('GET', `/campaigns/${c.id}/overview`)).json() as CampaignOverview;
    expect(claimed.redPackets).toEqual({ claimed: 2, poolShares: 0, paid: 776, budget: 10_000, budgetLeft: 9_224, delivered: 0, pending: 2, failed: 0, settledAt: null });

    ctx.clock.set(new Date(endsAt.getTime() + 5 * 60_000));
    const report = await settleCampaign(settleDeps(ctx), c.id);
    expect(report).toMatchObject({ planned: true, paid: 1_000, teams: 1 });
    // Past every hold: the transfer job sends each one, and S confirms each in the simulated app.
    const payouts = payoutsFor({ config: testConfig({ JIZAN_PAYMENT_PROVIDER: 'simulator' }), db: ctx.database.db, clock: ctx.clock });
    await runTransfers(payouts);
    const { transfers } = await payouts.simulator!.platform();
    for (const b of [...transfers.bills.values()].filter((x) => x.state === 'WAIT_USER_CONFIRM')) {
      expect((await transfers.confirm({ mchId: payouts.payouts!.mchId, appId: b.request.appid, package: b.packageInfo })).errMsg).toBe('requestMerchantTransfer:ok');
    }

    const settled = (await admin('GET', `/campaigns/${c.id}/overview`)).json() as CampaignOverview;
    expect(settled.redPackets).toEqual({
      claimed: 2,
      poolShares: 1,
      paid: 1_776,
      budget: 10_000,
      budgetLeft: 8_224,
      delivered: 3,
      pending: 0,
      failed: 0,
      settledAt: report.settledAt,
    });

    // The user view: three red packets, newest first, each with the energy it was paid on.
    const view = (await admin('GET', `/users/${s.id}`)).json() as AdminUser;
    expect(view.redPackets.map((p) => [p.kind, p.tier, p.amount, p.energy, p.delivery, p.userId])).toEqual([
      ['pool', null, 1_000, 100, 'success', s.id],
      ['tier', 2, 588, 100, 'success', s.id],
      ['tier', 1, 188, 40, 'success', s.id],
    ]);

    const audit0 = (await admin('GET', `/campaigns/${c.id}/ledger-audit`)).json() as LedgerAudit;
    expect(audit0).toMatchObject({
      ok: true,
      energyBalances: 100,
      energyLedger: 100,
      redPackets: { budget: 10_000, paid: 1_776, budgetLeft: 8_224, count: 3, delivered: 3, pending: 0, failed: 0 },
      mismatches: [],
      unbackedRedPackets: [],
    });

    expect((await admin('POST', '/fraud/scan', { campaignId: c.id })).statusCode).toBe(200);
    const flags = (await admin('GET', '/fraud/flags?status=open&kind=shared_device')).json().items as { id: number; userId: string }[];
    const flagOf = (userId: string) => flags.find((f) => f.userId === userId)!;

    const voided = await admin('POST', `/fraud/flags/${flagOf(fraudsters[0]!.id).id}/review`, { action: 'void' });
    expect(voided.statusCode, voided.body).toBe(200);
    const review = voided.json() as FraudReviewResult;
    expect(review).toMatchObject({ voidedLikes: 1, energyReversed: 20 });
    // Both red packets paid on 100 energy are now above S's 80; the 40-energy rung is still covered.
    expect(review.unbackedRedPackets.map((p) => [p.kind, p.tier, p.amount, p.energy, p.energyNow, p.delivery])).toEqual([
      ['tier', 2, 588, 100, 80, 'success'],
      ['pool', null, 1_000, 100, 80, 'success'],
    ]);

    // The books still agree: every balance equals its ledger sum, the red packets equal their budget.
    expect(await findDrift(ctx.database.db)).toEqual([]);
    expect(await verifyRedPackets(ctx.database.db)).toEqual([]);
    const audit1 = (await admin('GET', `/campaigns/${c.id}/ledger-audit`)).json() as LedgerAudit;
    expect(audit1).toMatchObject({ ok: true, energyBalances: 80, energyLedger: 80, teamBalances: 80, mismatches: [] });
    expect(audit1.redPackets).toEqual(audit0.redPackets);
    expect(audit1.unbackedRedPackets.map((p) => p.id)).toEqual(review.unbackedRedPackets.map((p) => p.id));

    // A dismissal moves nothing and lists nothing.
    const dismissed = (await admin('POST', `/fraud/flags/${flagOf(fraudsters[1]!.id).id}/review`, { action: 'dismiss' })).json() as FraudReviewResult;
    expect(dismissed).toMatchObject({ voidedLikes: 0, energyReversed: 0, unbackedRedPackets: [] });

    const log = (await admin('GET', `/audit?targetType=user&targetId=${fraudsters[0]!.id}`)).json().items;
    expect(log).toMatchObject([{ action: 'fraud.void', after: { unbackedRedPackets: review.unbackedRedPackets.map((p) => p.id) } }]);
  });
});
