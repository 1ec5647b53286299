import type { Executor } from '../../db/client.js';
import type { TradeBillRow } from '../../lib/wechatpay/bill.js';
import { paymentsPaidBetween } from './payments.repository.js';
import { refundsRecordedBetween } from './refunds.repository.js';
import { platformNo } from './wechatpay-provider.js';

// The daily reconciliation: our payments and refunds of one Beijing day against the platform's
// trade bill of that day, difference by difference. Nothing is corrected here: each difference is
// for an operator (a payment we never recorded is money to apply or give back).

export type DifferenceKind =
  | 'payment_missing_here'
  | 'payment_missing_at_platform'
  | 'payment_amount_differs'
  | 'refund_missing_here'
  | 'refund_missing_at_platform'
  | 'refund_amount_differs';

export interface Difference {
  kind: DifferenceKind;
  /** The platform's transaction id for a payment, the out_refund_no for a refund. */
  reference: string;
  outTradeNo: string | null;
  ours: number | null;
  platform: number | null;
}

/** A Beijing day (yyyy-MM-dd, the bill's day) as the UTC instants it spans. */
export function beijingDay(day: string): { from: Date; to: Date } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00+08:00`))) {
    throw new RangeError(`a day is written yyyy-MM-dd, got "${day}"`);
  }
  const from = new Date(`${day}T00:00:00+08:00`);
  return { from, to: new Date(from.getTime() + 24 * 3600_000) };
}

/** Pure: what differs between our rows and the bill's. */
export function differences(
  ours: { payments: { transactionId: string; amount: number }[]; refunds: { outRefundNo: string; amount: number }[] },
  bill: readonly TradeBillRow[],
): Difference[] {
  const out: Difference[] = [];
  const billPaid = new Map(bill.filter((r) => r.tradeState === 'SUCCESS').map((r) => [r.transactionId, r]));
  const billRefunds = new Map(bill.filter((r) => r.tradeState === 'REFUND').map((r) => [r.outRefundNo, r]));
  const ourPaid = new Map(ours.payments.map((p) => [p.transactionId, p.amount]));
  const ourRefunds = new Map(ours.refunds.map((r) => [r.outRefundNo, r.amount]));
  for (const [tx, amount] of ourPaid) {
    const row = billPaid.get(tx);
    if (!row) out.push({ kind: 'payment_missing_at_platform', reference: tx, outTradeNo: null, ours: amount, platform: null });
    else if (row.orderTotalFen !== amount) out.push({ kind: 'payment_amount_differs', reference: tx, outTradeNo: row.outTradeNo, ours: amount, platform: row.orderTotalFen });
  }
  for (const [tx, row] of billPaid) {
    if (!ourPaid.has(tx)) out.push({ kind: 'payment_missing_here', reference: tx, outTradeNo: row.outTradeNo, ours: null, platform: row.orderTotalFen });
  }
  for (const [no, amount] of ourRefunds) {
    const row = billRefunds.get(no);
    if (!row) out.push({ kind: 'refund_missing_at_platform', reference: no, outTradeNo: null, ours: amount, platform: null });
    else if (row.refundFen !== amount) out.push({ kind: 'refund_amount_differs', reference: no, outTradeNo: row.outTradeNo, ours: amount, platform: row.refundFen });
  }
  for (const [no, row] of billRefunds) {
    if (!ourRefunds.has(no)) out.push({ kind: 'refund_missing_here', reference: no, outTradeNo: row.outTradeNo, ours: null, platform: row.refundFen });
  }
  return out;
}

/** One day reconciled: our WeChat Pay payments and refunds of that Beijing day against its bill. */
export async function reconcileDay(deps: { db: Executor }, day: string, bill: readonly TradeBillRow[]): Promise<Difference[]> {
  const { from, to } = beijingDay(day);
  const [payments, refunds] = await Promise.all([paymentsPaidBetween(deps.db, 'wechatpay', from, to), refundsRecordedBetween(deps.db, from, to)]);
  return differences(
    {
      payments: payments.map((p) => ({ transactionId: p.transactionId, amount: p.amount })),
      refunds: refunds.map((r) => ({ outRefundNo: platformNo(r.refundRequestId), amount: r.amount })),
    },
    bill,
  );
}
