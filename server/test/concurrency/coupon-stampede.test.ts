import type { Coupon } from '@jizan/shared';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { couponLedger, orders } from '../../src/db/schema/index.js';
import { verifyRedPackets } from '../../src/modules/redpackets/redpackets.service.js';
import { campaign, login, REAL_PG_URL, testApp } from '../helper.js';
import { product } from '../modules/groupbuy/fixtures.js';
import { budgetOf, earn } from '../modules/redpackets/fixtures.js';

/**
 * One coupon, 500 orders racing to redeem it. On PGlite (one connection) they run one after the
 * other and check the rules; with JIZAN_TEST_DATABASE_URL they are concurrent transactions on
 * PostgreSQL, spread over ten products so the stock row lock does not queue them for the guard.
 */
const ctx = testApp();
const db = () => ctx.database.db;

describe(`coupon stampede on ${REAL_PG_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  it('500 opens with one coupon at once: exactly one order gets it, the budget pays its discount once', async () => {
    const c = await campaign(ctx, {
      rules: { redPacketTiers: [{ energy: 20, amount: 500, reward: 'coupon' as const, coupon: { minSpend: 0, validDays: 7 } }], redPacketBudget: 100_000 },
    });
    const products = await Promise.all(Array.from({ length: 10 }, () => product(ctx, { campaignId: c.id, stock: 1000, perUserLimit: 1000 })));
    const buyer = await login(ctx);
    await earn(ctx, buyer, c.id, 1);
    const coupon = (await buyer.post('/v1/redpackets/claim', { campaignId: c.id, tier: 1 })).json().coupon as Coupon;

    const results = await Promise.all(Array.from({ length: 500 }, (_, i) => buyer.post('/v1/groups', { productId: products[i % 10]!.id, couponId: coupon.id })));
    const refused = results.filter((r) => r.statusCode === 409 && r.json().error.code === 'COUPON_ALREADY_USED');
    expect(refused).toHaveLength(499);
    // The one that got it placed its order. Its pay sheet may time out while 499 others hold the
    // process (PAYMENT_UNAVAILABLE keeps the order, payable again): the race is for the coupon.
    const winner = results.find((r) => !refused.includes(r))!;
    expect([201, 503]).toContain(winner.statusCode);

    const placed = await db().select().from(orders).where(eq(orders.campaignId, c.id));
    expect(placed).toHaveLength(1);
    expect(placed[0]).toMatchObject({ amount: 1990 - 500 });
    const mine = (await buyer.get('/v1/me/orders')).json().orders;
    expect(mine).toEqual([expect.objectContaining({ id: placed[0]!.id, amount: 1490, couponDiscount: 500 })]);
    const won = { myOrder: placed[0]! };
    const ledger = await db().select().from(couponLedger).where(eq(couponLedger.couponId, coupon.id));
    expect(ledger.map((l) => [l.event, l.orderId])).toEqual([
      ['issued', null],
      ['redeemed', won.myOrder.id],
    ]);
    expect((await budgetOf(ctx, c.id))!.remaining).toBe(100_000 - 500);
    const [stock] = await rows<{ left: number }>(db(), sql`select sum(stock)::int as left from products where campaign_id = ${c.id}`);
    expect(Number(stock!.left)).toBe(10 * 1000 - 1);
    expect(await verifyRedPackets(db(), { campaignId: c.id })).toEqual([]);
  });
});
