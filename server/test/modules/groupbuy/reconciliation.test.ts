import { describe, expect, it } from 'vitest';
import { payments } from '../../../src/db/schema/index.js';
import { WechatPayClient } from '../../../src/lib/wechatpay/client.js';
import { openGroup } from '../../../src/modules/groupbuy/groups.service.js';
import { beijingDay, reconcileDay } from '../../../src/modules/groupbuy/reconciliation.service.js';
import { NO_IDEMPOTENCY } from '../../../src/modules/idempotency/idempotency.service.js';
import { login, testApp } from '../../helper.js';
import { awaitingPayment, deps, payAtPlatform, platformOf, product } from './fixtures.js';

const ctx = testApp();
const HOUR = 3600_000;

describe('the daily reconciliation against the trade bill', () => {
  it('agrees on a day of payments, then lists each planted difference (money taken but never recorded, a record the platform never made)', async () => {
    // A day of its own: the clock moves to a Beijing day nobody else in this file used.
    ctx.clock.advance(10 * 24 * HOUR);
    const day = new Date(ctx.clock.now().getTime() + 8 * HOUR).toISOString().slice(0, 10);
    const d = awaitingPayment(deps(ctx));
    const sim = await platformOf(d);
    const client = new WechatPayClient(sim.clientOptions('http://127.0.0.1/unused', { now: () => ctx.clock.now() }));
    const p = await product(ctx, { groupSize: 2 });
    const [a, b, c] = [await login(ctx), await login(ctx), await login(ctx)];
    const paid = await openGroup(d, { userId: a.id, productId: p.id, idempotency: NO_IDEMPOTENCY });
    await payAtPlatform(d, paid.body.myOrder!.id);
    const lost = await openGroup(d, { userId: b.id, productId: p.id, idempotency: NO_IDEMPOTENCY });
    await openGroup(d, { userId: c.id, productId: p.id, idempotency: NO_IDEMPOTENCY });

    const bill = async () => (await client.fetchTradeBill(day)).rows;
    expect(await reconcileDay(d, day, await bill())).toEqual([]);

    // The platform took B's money but its notification never came, and a payment row appears here that the platform never made.
    sim.notifier.faults.push('drop');
    await payAtPlatform(d, lost.body.myOrder!.id);
    const { from } = beijingDay(day);
    await ctx.database.db.insert(payments).values({
      orderId: paid.body.myOrder!.id,
      amount: 1990,
      provider: 'wechatpay',
      transactionId: '4200000000000000000009',
      paidAt: new Date(from.getTime() + HOUR),
    });
    const found = await reconcileDay(d, day, await bill());
    expect(found.map((f) => [f.kind, f.ours, f.platform]).sort()).toEqual(
      [
        ['payment_missing_at_platform', 1990, null],
        ['payment_missing_here', null, 1990],
      ].sort(),
    );
    expect(found.find((f) => f.kind === 'payment_missing_here')?.outTradeNo).toBe(lost.body.myOrder!.id.replace(/-/g, ''));
  });

  it('refuses a day that is not written yyyy-MM-dd', () => {
    expect(() => beijingDay('2026-13-45')).toThrow(RangeError);
    expect(() => beijingDay('11/11/2026')).toThrow(RangeError);
  });
});
