import { and, asc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { orders, paymentAnomalies, payments } from '../../db/schema/index.js';

// What the provider told us was paid. The provider's own records (prepay ids, queries, closes)
// belong here too as they arrive.

export type PaymentRow = typeof payments.$inferSelect;

/** Null when this provider transaction was already recorded: a replayed notification. */
export async function insertPayment(
  ex: Executor,
  v: { orderId: string; amount: number; provider: string; transactionId: string; paidAt: Date; at: Date },
): Promise<PaymentRow | null> {
  const { at, ...values } = v;
  const [row] = await ex
    .insert(payments)
    .values({ ...values, createdAt: at })
    .onConflictDoNothing({ target: [payments.provider, payments.transactionId] })
    .returning();
  return row ?? null;
}

export async function addPaidAmount(ex: Executor, orderId: string, amount: number, at: Date): Promise<void> {
  await ex
    .update(orders)
    .set({ paidAmount: sql`${orders.paidAmount} + ${amount}`, updatedAt: at })
    .where(eq(orders.id, orderId));
}

export async function paymentsOf(ex: Executor, orderIds: string[]): Promise<PaymentRow[]> {
  if (orderIds.length === 0) return [];
  return ex.select().from(payments).where(inArray(payments.orderId, orderIds)).orderBy(asc(payments.id));
}

export async function findPayment(ex: Executor, id: number): Promise<PaymentRow | undefined> {
  const [row] = await ex.select().from(payments).where(eq(payments.id, id));
  return row;
}

export type PaymentAnomalyKind = (typeof paymentAnomalies.$inferInsert)['kind'];

/** Once per platform transaction and kind: a redelivered notification adds nothing. */
export async function insertPaymentAnomaly(
  ex: Executor,
  v: { provider: string; kind: PaymentAnomalyKind; outTradeNo: string; transactionId: string; orderId: string | null; amount: number; detail: Record<string, unknown>; at: Date },
): Promise<void> {
  const { at, ...values } = v;
  await ex
    .insert(paymentAnomalies)
    .values({ ...values, createdAt: at })
    .onConflictDoNothing({ target: [paymentAnomalies.provider, paymentAnomalies.transactionId, paymentAnomalies.kind] });
}

/**
 * Claims the unpaid order least recently asked about (placed before `placedBefore`, last asked
 * before `askedBefore`) by stamping it: the compare-and-set is the claim, so of two instances'
 * query jobs one asks about each order, and no lock is held while the platform is asked.
 */
export async function claimOrderToAsk(ex: Executor, v: { now: Date; placedBefore: Date; askedBefore: Date }): Promise<string | null> {
  const [row] = await ex
    .update(orders)
    .set({ paymentCheckedAt: v.now })
    .where(
      sql`${orders.id} = (
        select o.id from ${orders} o
        where o.status = 'pending_payment' and o.created_at <= ${v.placedBefore}
          and (o.payment_checked_at is null or o.payment_checked_at <= ${v.askedBefore})
        order by o.payment_checked_at asc nulls first, o.created_at
        limit 1 for update skip locked)`,
    )
    .returning({ id: orders.id });
  return row?.id ?? null;
}

/** One provider's payments whose platform time falls in [from, to): one day of the trade bill. */
export async function paymentsPaidBetween(ex: Executor, provider: string, from: Date, to: Date): Promise<PaymentRow[]> {
  return ex
    .select()
    .from(payments)
    .where(and(eq(payments.provider, provider), gte(payments.paidAt, from), lt(payments.paidAt, to)))
    .orderBy(asc(payments.id));
}
