import type { AdminOrder, AdminRefund, AuditEntry, PaymentAnomaly } from '@jizan/shared';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { paymentAnomalies, refundRequests } from '../../../src/db/schema/index.js';
import { expireDue } from '../../../src/modules/groupbuy/groupbuy.jobs.js';
import { errorCode, login, testApp } from '../../helper.js';
import { deps, join, open, product, settleEarlierTests } from '../groupbuy/fixtures.js';

const ADMIN_KEY = 'groupbuy-admin-key-0123456789abc';
const ctx = testApp({ config: { JIZAN_ADMIN_KEY: ADMIN_KEY } });
const admin = (method: 'GET' | 'POST', url: string) =>
  ctx.app.inject({ method, url: `/admin/v1${url}`, headers: { authorization: `Bearer ${ADMIN_KEY}` } });
const HOUR = 3600_000;

describe('orders in the admin API', () => {
  it('filters by campaign, status and user, pages newest first and exports CSV in fen', async () => {
    const p = await product(ctx, { groupSize: 3 });
    const [a, b] = [await login(ctx), await login(ctx)];
    const g = await open(a, p.id);
    ctx.clock.advance(1000);
    await join(b, g.id);

    const all = await admin('GET', `/orders?campaignId=${p.campaignId}`);
    expect(all.statusCode, all.body).toBe(200);
    const items = all.json().items as AdminOrder[];
    expect(items.map((o) => o.userId)).toEqual([b.id, a.id]);
    expect(items[0]).toMatchObject({ campaignId: p.campaignId, productId: p.id, groupId: g.id, status: 'paid', amount: 1990, paidAmount: 1990, refundedAmount: 0 });

    const first = (await admin('GET', `/orders?campaignId=${p.campaignId}&limit=1`)).json();
    expect(first.items.map((o: AdminOrder) => o.userId)).toEqual([b.id]);
    const second = (await admin('GET', `/orders?campaignId=${p.campaignId}&limit=1&cursor=${first.nextCursor}`)).json();
    expect(second).toEqual({ items: [expect.objectContaining({ userId: a.id })], nextCursor: null });

    expect((await admin('GET', `/orders?userId=${a.id}`)).json().items.map((o: AdminOrder) => o.id)).toEqual([items[1]!.id]);
    expect((await admin('GET', `/orders?campaignId=${p.campaignId}&status=refunded`)).json().items).toEqual([]);
    expect(errorCode(await admin('GET', '/orders?status=lost'))).toBe('VALIDATION_FAILED');

    const csv = await admin('GET', `/orders?campaignId=${p.campaignId}&format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('id,campaignId,userId,productId,groupId,status,amount,paidAmount,refundedAmount,payDeadline,createdAt,updatedAt');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`,${b.id},`);
    expect(lines[1]).toContain(',paid,1990,1990,0,');
  });
});

describe('stuck refunds in the admin API', () => {
  it('lists a stuck refund, retries it once with an audit row, and refuses what is not stuck or unknown', async () => {
    await settleEarlierTests(ctx);
    const p = await product(ctx, { groupSize: 2 });
    const a = await login(ctx);
    await open(a, p.id);
    ctx.clock.advance(24 * HOUR);
    expect(await expireDue(deps(ctx))).toBe(1);
    const [order] = (await admin('GET', `/orders?userId=${a.id}`)).json().items as AdminOrder[];
    // As the refund job leaves it after its last refused attempt.
    await ctx.database.db
      .update(refundRequests)
      .set({ status: 'stuck', attempts: 5, lastError: 'insufficient merchant balance' })
      .where(eq(refundRequests.orderId, order!.id));

    const listed = await admin('GET', '/refunds?status=stuck');
    expect(listed.statusCode, listed.body).toBe(200);
    const mine = (listed.json().items as AdminRefund[]).find((r) => r.orderId === order!.id)!;
    expect(mine).toMatchObject({ status: 'stuck', attempts: 5, amount: 1990, reason: 'group_failed', lastError: 'insufficient merchant balance' });
    expect(errorCode(await admin('GET', '/refunds'))).toBe('VALIDATION_FAILED');

    const retried = await admin('POST', `/refunds/${mine.id}/retry`);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ id: mine.id, status: 'pending', attempts: 0 });
    expect((await admin('GET', '/refunds?status=stuck')).json().items.map((r: AdminRefund) => r.id)).not.toContain(mine.id);

    const again = await admin('POST', `/refunds/${mine.id}/retry`);
    expect(again.statusCode).toBe(409);
    expect(errorCode(again)).toBe('ORDER_STATE_INVALID');
    const unknown = await admin('POST', '/refunds/00000000-0000-4000-8000-000000000000/retry');
    expect(unknown.statusCode).toBe(404);

    const audit = (await admin('GET', `/audit?targetType=refund&targetId=${mine.id}`)).json().items as AuditEntry[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'refund.retry', before: { status: 'stuck' }, after: { status: 'pending', attempts: 0 } });
  });
});

describe('payment anomalies in the admin API', () => {
  it('lists money that matched no order, newest first', async () => {
    const at = ctx.clock.now();
    await ctx.database.db.insert(paymentAnomalies).values([
      { provider: 'wechatpay', kind: 'unknown_order', outTradeNo: 'JZunknown', transactionId: '4200000001', orderId: null, amount: 500, detail: {}, createdAt: at },
      { provider: 'wechatpay', kind: 'amount_mismatch', outTradeNo: 'JZother', transactionId: '4200000002', orderId: null, amount: 1, detail: { expected: 1990 }, createdAt: at },
    ]);
    const res = await admin('GET', '/payment-anomalies?limit=1');
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as { items: PaymentAnomaly[]; nextCursor: string | null };
    expect(page.items).toEqual([expect.objectContaining({ kind: 'amount_mismatch', transactionId: '4200000002', amount: 1, detail: { expected: 1990 } })]);
    const next = (await admin('GET', `/payment-anomalies?cursor=${page.nextCursor}`)).json().items as PaymentAnomaly[];
    expect(next.map((x) => x.transactionId)).toEqual(['4200000001']);
  });
});
