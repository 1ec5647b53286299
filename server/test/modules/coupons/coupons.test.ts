import type { Coupon, Group, MyCouponsResponse, Order } from '@jizan/shared';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rows } from '../../../src/db/client.js';
import { expireDueCoupons } from '../../../src/modules/coupons/coupons.service.js';
import { NO_IDEMPOTENCY } from '../../../src/modules/idempotency/idempotency.service.js';
import { claimRedPacket, verifyRedPackets } from '../../../src/modules/redpackets/redpackets.service.js';
import { campaign, errorCode, login, T0, testApp, type Client } from '../../helper.js';
import { deps, product, settleEarlierTests } from '../groupbuy/fixtures.js';
import { expireDue, refundDue } from '../../../src/modules/groupbuy/groupbuy.jobs.js';
import { budgetOf, earn } from '../redpackets/fixtures.js';

const ADMIN_KEY = 'coupons-admin-key-0123456789';
const ctx = testApp({ config: { JIZAN_ADMIN_KEY: ADMIN_KEY, JIZAN_TOKEN_TTL_SECONDS: String(60 * 24 * 3600) } });
beforeEach(() => ctx.clock.set(T0));

const DAY = 24 * 3600_000;
// One friend's first like is 20 energy: tier 1 (cash) and tier 2 (a 5 元 coupon, from 10 元, a week) are one and two friends away.
const tiers = [
  { energy: 20, amount: 188 },
  { energy: 40, amount: 500, reward: 'coupon' as const, coupon: { minSpend: 1000, validDays: 7 } },
];

// The campaign outlives the coupons' week, so an expired coupon is refused for itself, not for the campaign.
async function couponCampaign(budget = 10_000) {
  return campaign(ctx, { rules: { redPacketTiers: tiers, redPacketBudget: budget }, endsAt: new Date(T0.getTime() + 30 * DAY) });
}

/** A user who reached the coupon rung and claimed it. */
async function withCoupon(campaignId: string): Promise<{ user: Client; coupon: Coupon }> {
  const user = await login(ctx);
  await earn(ctx, user, campaignId, 2);
  const res = await user.post('/v1/redpackets/claim', { campaignId, tier: 2 });
  expect(res.statusCode, res.body).toBe(201);
  return { user, coupon: res.json().coupon as Coupon };
}

const open = (user: Client, productId: string, couponId?: string) => user.post('/v1/groups', { productId, ...(couponId ? { couponId } : {}) });
const myCoupon = async (user: Client, id: string) => ((await user.get('/v1/me/coupons')).json() as MyCouponsResponse).coupons.find((c) => c.id === id)!;
const ledgerOf = (couponId: string) =>
  rows<{ event: string; amount: number; budget_delta: number }>(ctx.database.db, sql`select event, amount, budget_delta from coupon_ledger where coupon_id = ${couponId} order by id`).then((rs) =>
    rs.map((r) => [r.event, Number(r.amount), Number(r.budget_delta)]),
  );

describe('a coupon rung', () => {
  it('issues a coupon on the claim, once, without touching the budget; the ladder shows it claimed', async () => {
    const c = await couponCampaign();
    const { user, coupon } = await withCoupon(c.id);
    expect(coupon).toEqual({
      id: expect.any(String),
      campaignId: c.id,
      tier: 2,
      amountOff: 500,
      minSpend: 1000,
      expiresAt: new Date(T0.getTime() + 7 * DAY).toISOString(),
      status: 'available',
      orderId: null,
      createdAt: T0.toISOString(),
    });
    const again = await user.post('/v1/redpackets/claim', { campaignId: c.id, tier: 2 });
    expect(errorCode(again)).toBe('ALREADY_CLAIMED');
    const list = (await user.get('/v1/me/coupons')).json() as MyCouponsResponse;
    expect(list.coupons.map((x) => x.id)).toEqual([coupon.id]);
    const ladder = (await user.get(`/v1/campaigns/${c.id}/redpackets`)).json();
    expect(ladder.tiers[1]).toMatchObject({ tier: 2, amount: 500, claimed: true, claimable: false, reward: 'coupon', coupon: { minSpend: 1000, validDays: 7 } });
    expect(ladder.budgetLeft).toBe(10_000);
    expect(await ledgerOf(coupon.id)).toEqual([['issued', 500, 0]]);
  });

  it('is claimed where cash cannot be paid (a coupon needs no payout provider), while the cash rung is refused', async () => {
    const c = await couponCampaign();
    const user = await login(ctx);
    await earn(ctx, user, c.id, 2);
    const noCash = { db: ctx.database.db, clock: ctx.clock, cash: { available: false, holdMinutes: 0 } };
    const claim = (tier: number) => claimRedPacket(noCash, { userId: user.id, campaignId: c.id, tier, idempotency: NO_IDEMPOTENCY });
    await expect(claim(1)).rejects.toMatchObject({ code: 'PAYOUT_UNAVAILABLE' });
    const got = await claim(2);
    expect(got.body).toMatchObject({ redPacket: null, coupon: { tier: 2, amountOff: 500, status: 'available' }, budgetLeft: 10_000 });
  });
});

describe('redeeming a coupon on a group buy', () => {
  it('lists it as usable on a product with its discount, and the order costs the group price less it; the budget pays the discount', async () => {
    const c = await couponCampaign();
    const p = await product(ctx, { campaignId: c.id, perUserLimit: 5 });
    const { user, coupon } = await withCoupon(c.id);
    const usable = (await user.get(`/v1/me/coupons?productId=${p.id}`)).json() as MyCouponsResponse;
    expect(usable.coupons).toEqual([expect.objectContaining({ id: coupon.id, discount: 500 })]);

    const res = await open(user, p.id, coupon.id);
    expect(res.statusCode, res.body).toBe(201);
    const g = res.json() as Group;
    expect(g.myOrder).toMatchObject({ amount: 1990 - 500, couponDiscount: 500, status: 'paid', paidAmount: 1490 });
    expect(await myCoupon(user, coupon.id)).toMatchObject({ status: 'redeemed', orderId: g.myOrder!.id });
    expect((await user.get(`/v1/me/coupons?productId=${p.id}`)).json().coupons).toEqual([]);
    expect((await budgetOf(ctx, c.id))!.remaining).toBe(10_000 - 500);
    expect(await ledgerOf(coupon.id)).toEqual([
      ['issued', 500, 0],
      ['redeemed', 500, -500],
    ]);

    // Used once: a second order with it is refused, and nothing of it is placed.
    const second = await open(user, p.id, coupon.id);
    expect(errorCode(second)).toBe('COUPON_ALREADY_USED');
    expect(await verifyRedPackets(ctx.database.db, { campaignId: c.id })).toEqual([]);
  });

  it('works on a join too', async () => {
    const c = await couponCampaign();
    const p = await product(ctx, { campaignId: c.id });
    const opener = await login(ctx);
    const g = (await open(opener, p.id)).json() as Group;
    const { user, coupon } = await withCoupon(c.id);
    const res = await user.post(`/v1/groups/${g.id}/join`, { couponId: coupon.id });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as Group).myOrder).toMatchObject({ amount: 1490, couponDiscount: 500 });
    // Without a coupon the order shows none taken off.
    expect(((await opener.get(`/v1/groups/${g.id}`)).json() as Group).myOrder).toMatchObject({ amount: 1990, couponDiscount: 0 });
  });

  it('refuses an expired coupon, someone else’s, another campaign’s and one below its minimum spend, each with its code', async () => {
    const c = await couponCampaign();
    const p = await product(ctx, { campaignId: c.id });
    const cheap = await product(ctx, { campaignId: c.id, price: 990, groupPrice: 990 });
    const elsewhere = await product(ctx);
    const { user, coupon } = await withCoupon(c.id);
    const stranger = await login(ctx);
    expect(errorCode(await open(stranger, p.id, coupon.id))).toBe('COUPON_NOT_FOUND');
    expect(errorCode(await open(user, p.id, '00000000-0000-4000-8000-000000000000'))).toBe('COUPON_NOT_FOUND');
    expect(errorCode(await open(user, elsewhere.id, coupon.id))).toBe('COUPON_NOT_APPLICABLE');
    expect(errorCode(await open(user, cheap.id, coupon.id))).toBe('COUPON_NOT_APPLICABLE');
    ctx.clock.set(new Date(T0.getTime() + 7 * DAY));
    const late = await open(user, p.id, coupon.id);
    expect(late.statusCode).toBe(409);
    expect(errorCode(late)).toBe('COUPON_EXPIRED');
    expect(await myCoupon(user, coupon.id)).toMatchObject({ status: 'expired' });
    // Nothing was placed by the refusals: the product's stock is whole.
    expect((await user.get(`/v1/products/${p.id}`)).json().stock).toBe(100);
  });

  it('is refused with BUDGET_EXHAUSTED when the budget cannot pay the discount, and the order is not placed', async () => {
    const c = await couponCampaign(400);
    const p = await product(ctx, { campaignId: c.id });
    const { user, coupon } = await withCoupon(c.id);
    expect(errorCode(await open(user, p.id, coupon.id))).toBe('BUDGET_EXHAUSTED');
    expect(await myCoupon(user, coupon.id)).toMatchObject({ status: 'available', orderId: null });
    expect((await user.get('/v1/me/orders')).json().orders).toEqual([]);
  });
});

describe('giving a coupon back', () => {
  it('a failed group’s refund makes the coupon available again and returns the discount to the budget, once', async () => {
    await settleEarlierTests(ctx);
    ctx.clock.set(T0);
    const c = await couponCampaign();
    const p = await product(ctx, { campaignId: c.id });
    const { user, coupon } = await withCoupon(c.id);
    const g = (await open(user, p.id, coupon.id)).json() as Group;
    ctx.clock.advance(25 * 3600_000);
    const d = deps(ctx);
    await expireDue(d);
    await refundDue(d);
    const order = ((await user.get('/v1/me/orders')).json().orders as Order[]).find((o) => o.id === g.myOrder!.id)!;
    expect(order).toMatchObject({ status: 'refunded', refundedAmount: 1490 });
    expect(await myCoupon(user, coupon.id)).toMatchObject({ status: 'available', orderId: null });
    expect((await budgetOf(ctx, c.id))!.remaining).toBe(10_000);
    // The jobs running again give nothing back twice.
    await expireDue(d);
    await refundDue(d);
    expect(await ledgerOf(coupon.id)).toEqual([
      ['issued', 500, 0],
      ['redeemed', 500, -500],
      ['returned', 500, 500],
    ]);
    expect(await verifyRedPackets(ctx.database.db, { campaignId: c.id })).toEqual([]);
    // And it buys again.
    expect((await open(user, p.id, coupon.id)).statusCode).toBe(201);
  });

  it('a refund after the coupon’s expiry gives it back expired, with the discount back in the budget', async () => {
    await settleEarlierTests(ctx);
    ctx.clock.set(T0);
    const c = await campaign(ctx, {
      rules: { redPacketTiers: [{ energy: 20, amount: 300, reward: 'coupon' as const, coupon: { minSpend: 0, expiresAt: new Date(T0.getTime() + 3600_000).toISOString() } }], redPacketBudget: 1000 },
    });
    const p = await product(ctx, { campaignId: c.id });
    const user = await login(ctx);
    await earn(ctx, user, c.id, 1);
    const coupon = (await user.post('/v1/redpackets/claim', { campaignId: c.id, tier: 1 })).json().coupon as Coupon;
    expect((await open(user, p.id, coupon.id)).statusCode).toBe(201);
    ctx.clock.advance(25 * 3600_000);
    const d = deps(ctx);
    await expireDue(d);
    await refundDue(d);
    expect(await myCoupon(user, coupon.id)).toMatchObject({ status: 'expired', orderId: null });
    expect((await budgetOf(ctx, c.id))!.remaining).toBe(1000);
    expect(await ledgerOf(coupon.id)).toEqual([
      ['issued', 300, 0],
      ['redeemed', 300, -300],
      ['returned', 300, 300],
      ['expired', 300, 0],
    ]);
    expect(await verifyRedPackets(ctx.database.db, { campaignId: c.id })).toEqual([]);
  });
});

describe('the expiry job', () => {
  it('expires available coupons past their expiry, each with its ledger row, and leaves redeemed ones alone', async () => {
    const c = await couponCampaign();
    const p = await product(ctx, { campaignId: c.id });
    const idle = await withCoupon(c.id);
    const used = await withCoupon(c.id);
    expect((await open(used.user, p.id, used.coupon.id)).statusCode).toBe(201);
    ctx.clock.set(new Date(T0.getTime() + 7 * DAY));
    expect(await expireDueCoupons({ db: ctx.database.db, clock: ctx.clock })).toBeGreaterThanOrEqual(1);
    expect(await myCoupon(idle.user, idle.coupon.id)).toMatchObject({ status: 'expired' });
    expect(await myCoupon(used.user, used.coupon.id)).toMatchObject({ status: 'redeemed' });
    expect(await ledgerOf(idle.coupon.id)).toEqual([
      ['issued', 500, 0],
      ['expired', 500, 0],
    ]);
    expect(await expireDueCoupons({ db: ctx.database.db, clock: ctx.clock })).toBe(0);
    expect(await verifyRedPackets(ctx.database.db, { campaignId: c.id })).toEqual([]);
  });
});

describe('the books', () => {
  it('verify-ledger reports a coupon marked redeemed with no ledger row, and a budget moved without one', async () => {
    const c = await couponCampaign();
    const p = await product(ctx, { campaignId: c.id });
    const { coupon } = await withCoupon(c.id);
    const spent = await withCoupon(c.id);
    expect((await open(spent.user, p.id, spent.coupon.id)).statusCode).toBe(201);
    expect(await verifyRedPackets(ctx.database.db, { campaignId: c.id })).toEqual([]);
    const buyer = await login(ctx);
    const g = (await open(buyer, p.id)).json() as Group;
    await ctx.database.db.execute(sql`update coupons set status = 'redeemed', order_id = ${g.myOrder!.id} where id = ${coupon.id}`);
    await ctx.database.db.execute(sql`update red_packet_budgets set remaining = remaining + 500 where campaign_id = ${c.id}`);
    const problems = (await verifyRedPackets(ctx.database.db, { campaignId: c.id })).map((x) => x.problem);
    expect(problems.sort()).toEqual(
      [`coupon ${coupon.id} is redeemed on order ${g.myOrder!.id} but its ledger ends with issued`, 'remaining 10000 is not budget 10000 minus paid 500'].sort(),
    );
  });

  it('the admin overview counts coupons issued (face value), redeemed (budget spent), the redemption rate and their GMV', async () => {
    const c = await couponCampaign();
    const p = await product(ctx, { campaignId: c.id });
    const a = await withCoupon(c.id);
    await withCoupon(c.id);
    expect((await open(a.user, p.id, a.coupon.id)).statusCode).toBe(201);
    const res = await ctx.app.inject({ method: 'GET', url: `/admin/v1/campaigns/${c.id}/overview`, headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().coupons).toEqual({ issued: 2, issuedValue: 1000, redeemed: 1, redeemedValue: 500, expired: 0, redemptionRate: 0.5, gmv: 1490 });
    expect(res.json().redPackets).toMatchObject({ budget: 10_000, budgetLeft: 10_000 - 500, paid: 0 });
  });
});
