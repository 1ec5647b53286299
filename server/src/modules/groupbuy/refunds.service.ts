import type { Order } from '@jizan/shared';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { returnCoupons } from '../coupons/coupons.service.js';
import { nextRefundAttempt } from './group-rules.js';
import type { GroupBuyConfig } from '../../config.js';
import { releaseStock } from './groupbuy.repository.js';
import { lockGroup, releaseSeats } from './groups.repository.js';
import { findOrder, lockOrder, orderViews } from './orders.repository.js';
import { moveOrders, toOrder } from './orders.service.js';
import type { PaymentProvider, RefundOutcome } from './payment-provider.js';
import { findPayment, paymentsOf } from './payments.repository.js';
import * as repo from './refunds.repository.js';

/** What giving money back needs (GroupBuyDeps has it; named here so payments.service can import this file without a cycle). */
export interface RefundDeps {
  db: Db;
  clock: Clock;
  payments: PaymentProvider;
  settings: GroupBuyConfig;
}

// Money going back: one refund request per payment, attempted through the provider until it
// succeeds or is stuck for an operator.

/**
 * Orders whose money must go back: each is refunding, its unit back in stock, one refund per
 * payment, and its coupon given back (usable again if it has time left).
 */
export async function startRefunds(
  tx: Executor,
  v: { orderIds: string[]; from: 'paid' | 'grouped'; productId: string; reason: repo.RefundReason; now: Date },
): Promise<void> {
  const moved = await moveOrders(tx, v.orderIds, v.from, 'refunding', v.reason, v.now);
  await releaseStock(tx, v.productId, moved.length);
  const paid = await paymentsOf(tx, moved);
  await repo.insertRefundRequests(tx, paid.map((p) => ({ orderId: p.orderId, paymentId: p.id, amount: p.amount, reason: v.reason })), v.now);
  await returnCoupons(tx, { orderIds: moved, reason: `order refunded: ${v.reason}`, now: v.now });
}

/** What the buyer's bill says the money came back for (the platform shows at most 80 characters). */
const REFUND_REASON_TEXT: Record<repo.RefundReason, string> = {
  group_failed: '拼团未成功，原路退款',
  after_sale: '售后退款',
  late_payment: '订单已取消，退回付款',
  duplicate_payment: '重复付款退回',
};

/** The refund went through: its row, the order's refunded sum, and the order's end when nothing else is open. */
async function finishRefund(tx: Executor, request: repo.RefundRequestRow, providerRefundId: string, attempts: number, now: Date): Promise<void> {
  await repo.insertRefund(tx, { refundRequestId: request.id, orderId: request.orderId, amount: request.amount, providerRefundId, at: now });
  await repo.addRefundedAmount(tx, request.orderId, request.amount, now);
  await repo.updateRefundRequest(tx, request.id, { status: 'succeeded', attempts, lastError: null, at: now });
  const open = (await repo.refundRequestsOf(tx, request.orderId)).filter((r) => r.status !== 'succeeded');
  // A refund of stray money (late or duplicate payment) leaves the order's own state alone:
  // the compare-and-set moves only an order that is refunding.
  if (open.length === 0) await moveOrders(tx, [request.orderId], 'refunding', 'refunded', 'refund_succeeded', now);
}

const ENDED_WITHOUT_MONEY = {
  abnormal: 'REFUND.ABNORMAL: the buyer\'s account could not take the money back (closed card or account); an operator must settle it',
  closed: 'REFUND.CLOSED: the platform closed the refund without paying it',
};

/**
 * One attempt at the next due refund. The provider is asked under the refund's own number, so an
 * attempt cut off after the platform accepted it (timeout, process killed before commit) is asked
 * again and answered with that refund, never a second one. Accepted but not final (PROCESSING):
 * looked at again later, without using up an attempt. Refused: backs off, and after the last
 * attempt the refund is stuck, visible to operators, never silently dropped. False when none is due.
 */
export async function attemptOneRefund(deps: RefundDeps): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const request = await repo.claimDueRefund(tx, now);
    if (!request) return false;
    const payment = (await findPayment(tx, request.paymentId))!;
    const result = await deps.payments
      .refund({
        refundId: request.id,
        orderId: request.orderId,
        transactionId: payment.transactionId,
        amount: request.amount,
        paidAmount: payment.amount,
        reason: REFUND_REASON_TEXT[request.reason],
      })
      .catch((err: Error) => ({ status: 'failed', error: err.message || 'refund request failed' }) as const);
    if (result.status === 'succeeded') {
      await finishRefund(tx, request, result.providerRefundId, request.attempts + 1, now);
      return true;
    }
    if (result.status === 'processing') {
      const nextAttemptAt = new Date(now.getTime() + deps.settings.refundRetrySeconds * 1000);
      await repo.updateRefundRequest(tx, request.id, { attempts: request.attempts, lastError: 'accepted, the platform is still processing it', nextAttemptAt, at: now });
      return true;
    }
    if (result.status !== 'failed') {
      await repo.updateRefundRequest(tx, request.id, { status: 'stuck', attempts: request.attempts + 1, lastError: ENDED_WITHOUT_MONEY[result.status], at: now });
      return true;
    }
    const attempts = request.attempts + 1;
    const next = nextRefundAttempt(attempts, { baseSeconds: deps.settings.refundRetrySeconds, maxAttempts: deps.settings.refundMaxAttempts });
    await repo.updateRefundRequest(tx, request.id, {
      attempts,
      lastError: result.error,
      at: now,
      ...(next.stuck ? { status: 'stuck' as const } : { nextAttemptAt: new Date(now.getTime() + next.delaySeconds * 1000) }),
    });
    return true;
  });
}

/**
 * A REFUND.* notification: applied once (a refund already succeeded is left alone, so duplicates
 * and reordering change nothing). SUCCESS finishes the refund; ABNORMAL and CLOSED make it stuck
 * for an operator, as an attempt that hears the same would.
 */
export async function applyRefundOutcome(
  deps: { db: Db; clock: Clock },
  event: { refundId: string; outcome: RefundOutcome; providerRefundId: string },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const request = await repo.lockRefundRequest(tx, event.refundId);
    if (!request) throw new AppError('ORDER_NOT_FOUND', 'No refund of ours has this number');
    if (request.status === 'succeeded') return;
    if (event.outcome === 'succeeded') await finishRefund(tx, request, event.providerRefundId, request.attempts, now);
    else await repo.updateRefundRequest(tx, request.id, { status: 'stuck', attempts: request.attempts, lastError: ENDED_WITHOUT_MONEY[event.outcome], at: now });
  });
}

// ---- Operators' refunds ----

/**
 * After-sale refund of a member of a succeeded group buy: their order goes back, their seat is
 * given up and the unit returns to stock; the group stays succeeded and its view shows one fewer.
 */
export async function refundAfterSale(deps: RefundDeps, orderId: string): Promise<Order> {
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const found = await findOrder(tx, orderId);
    if (!found) throw new AppError('ORDER_NOT_FOUND', 'No such order');
    const group = (await lockGroup(tx, found.groupId))!;
    const order = (await lockOrder(tx, found.id))!;
    if (order.status !== 'grouped') {
      throw new AppError('ORDER_STATE_INVALID', `Only an order of a succeeded group buy is refunded after sale; this one is ${order.status}`);
    }
    await startRefunds(tx, { orderIds: [order.id], from: 'grouped', productId: group.productId, reason: 'after_sale', now });
    await releaseSeats(tx, group.id, [order.id], now);
  });
  const [view] = await orderViews(deps.db, { orderId, limit: 1 });
  return toOrder(view!);
}

/** Refunds that kept failing, oldest first: what operators must look at. */
export async function listStuckRefunds(deps: { db: Executor }) {
  return repo.listRefundRequests(deps.db, 'stuck');
}

/** A refund request as operators see it. */
export type RefundRequest = repo.RefundRequestRow;

/**
 * An operator sends a stuck refund round again, with a fresh set of attempts. The request is locked
 * first, so two retries at the same moment cannot both pass the check; run it in the caller's
 * transaction to commit the audit row with it. Answers the request before and after.
 */
export async function retryStuckRefund(deps: Pick<RefundDeps, 'db' | 'clock'>, refundRequestId: string): Promise<{ before: RefundRequest; after: RefundRequest }> {
  const before = await repo.lockRefundRequest(deps.db, refundRequestId);
  if (!before) throw new AppError('NOT_FOUND', 'No refund has this id');
  if (before.status !== 'stuck') throw new AppError('ORDER_STATE_INVALID', `Only a stuck refund can be retried; this one is ${before.status}`);
  const now = deps.clock.now();
  await repo.updateRefundRequest(deps.db, before.id, { status: 'pending', attempts: 0, nextAttemptAt: now, at: now });
  return { before, after: (await repo.findRefundRequest(deps.db, before.id))! };
}
