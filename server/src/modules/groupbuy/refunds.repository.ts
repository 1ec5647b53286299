import type { RefundStatus } from '@jizan/shared';
import { and, asc, eq, gte, lt, lte, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { orders, refundRequests, refunds } from '../../db/schema/index.js';

export type RefundRequestRow = typeof refundRequests.$inferSelect;
export type RefundReason = RefundRequestRow['reason'];

/** One refund request per payment: the unique index turns a second request into a no-op. */
export async function insertRefundRequests(
  ex: Executor,
  list: { orderId: string; paymentId: number; amount: number; reason: RefundReason }[],
  at: Date,
): Promise<void> {
  if (list.length === 0) return;
  await ex
    .insert(refundRequests)
    .values(list.map((r) => ({ ...r, nextAttemptAt: at, createdAt: at, updatedAt: at })))
    .onConflictDoNothing({ target: refundRequests.paymentId });
}

/** The next refund due for an attempt; SKIP LOCKED keeps two workers off the same one. */
export async function claimDueRefund(ex: Executor, now: Date): Promise<RefundRequestRow | undefined> {
  const [row] = await ex
    .select()
    .from(refundRequests)
    .where(and(eq(refundRequests.status, 'pending'), lte(refundRequests.nextAttemptAt, now)))
    .orderBy(asc(refundRequests.nextAttemptAt))
    .limit(1)
    .for('update', { skipLocked: true });
  return row;
}

export async function updateRefundRequest(
  ex: Executor,
  id: string,
  patch: Partial<Pick<RefundRequestRow, 'status' | 'attempts' | 'nextAttemptAt' | 'lastError'>> & { at: Date },
): Promise<void> {
  const { at, ...rest } = patch;
  await ex.update(refundRequests).set({ ...rest, updatedAt: at }).where(eq(refundRequests.id, id));
}

export async function findRefundRequest(ex: Executor, id: string): Promise<RefundRequestRow | undefined> {
  const [row] = await ex.select().from(refundRequests).where(eq(refundRequests.id, id));
  return row;
}

/** The request, held until the caller's transaction ends: a notification and an attempt never both finish it. */
export async function lockRefundRequest(ex: Executor, id: string): Promise<RefundRequestRow | undefined> {
  const [row] = await ex.select().from(refundRequests).where(eq(refundRequests.id, id)).for('update');
  return row;
}

export async function refundRequestsOf(ex: Executor, orderId: string): Promise<RefundRequestRow[]> {
  return ex.select().from(refundRequests).where(eq(refundRequests.orderId, orderId)).orderBy(asc(refundRequests.createdAt));
}

export async function listRefundRequests(ex: Executor, status: RefundStatus): Promise<RefundRequestRow[]> {
  return ex.select().from(refundRequests).where(eq(refundRequests.status, status)).orderBy(asc(refundRequests.updatedAt));
}

export async function insertRefund(
  ex: Executor,
  v: { refundRequestId: string; orderId: string; amount: number; providerRefundId: string; at: Date },
): Promise<void> {
  const { at, ...values } = v;
  await ex.insert(refunds).values({ ...values, createdAt: at });
}

export async function addRefundedAmount(ex: Executor, orderId: string, amount: number, at: Date): Promise<void> {
  await ex
    .update(orders)
    .set({ refundedAmount: sql`${orders.refundedAmount} + ${amount}`, updatedAt: at })
    .where(eq(orders.id, orderId));
}

/** Refunds recorded in [from, to), with the request whose id is their out_refund_no. */
export async function refundsRecordedBetween(ex: Executor, from: Date, to: Date): Promise<{ refundRequestId: string; amount: number }[]> {
  return ex
    .select({ refundRequestId: refunds.refundRequestId, amount: refunds.amount })
    .from(refunds)
    .where(and(gte(refunds.createdAt, from), lt(refunds.createdAt, to)))
    .orderBy(asc(refunds.id));
}
