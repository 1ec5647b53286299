import type { Order } from '@jizan/shared';
import type { Executor } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import { nextRefundAttempt } from './group-rules.js';
import type { GroupBuyDeps } from './groupbuy.deps.js';
import { releaseStock } from './groupbuy.repository.js';
import { lockGroup, releaseSeats } from './groups.repository.js';
import { findOrder, lockOrder, orderViews } from './orders.repository.js';
import { moveOrders, toOrder } from './orders.service.js';
import { findPayment, paymentsOf } from './payments.repository.js';
import * as repo from './refunds.repository.js';

// Money going back: one refund request per payment, attempted through the provider until it
// succeeds or is stuck for an operator.

/** Orders whose money must go back: each is refunding, its unit back in stock, one refund per payment. */
export async function startRefunds(
  tx: Executor,
  v: { orderIds: string[]; from: 'paid' | 'grouped'; productId: string; reason: repo.RefundReason; now: Date },
): Promise<void> {
  const moved = await moveOrders(tx, v.orderIds, v.from, 'refunding', v.reason, v.now);
  await releaseStock(tx, v.productId, moved.length);
  const paid = await paymentsOf(tx, moved);
  await repo.insertRefundRequests(tx, paid.map((p) => ({ orderId: p.orderId, paymentId: p.id, amount: p.amount, reason: v.reason })), v.now);
}

/**
 * One attempt at the next due refund. The provider is asked with the refund's own id, so an attempt
 * cut off after the provider paid (process killed before commit) is asked again and answered with
 * the same refund, never a second one. Failures back off, and after the last attempt the refund is
 * stuck: visible to operators, never silently dropped. False when no refund is due.
 */
export async function attemptOneRefund(deps: GroupBuyDeps): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const request = await repo.claimDueRefund(tx, now);
    if (!request) return false;
    const payment = (await findPayment(tx, request.paymentId))!;
    const result = await deps.payments
      .refund({ refundId: request.id, orderId: request.orderId, transactionId: payment.transactionId, amount: request.amount })
      .catch((err: Error) => ({ status: 'failed', error: err.message || 'refund request failed' }) as const);
    const attempts = request.attempts + 1;
    if (result.status === 'succeeded') {
      await repo.insertRefund(tx, { refundRequestId: request.id, orderId: request.orderId, amount: request.amount, providerRefundId: result.providerRefundId, at: now });
      await repo.addRefundedAmount(tx, request.orderId, request.amount, now);
      await repo.updateRefundRequest(tx, request.id, { status: 'succeeded', attempts, lastError: null, at: now });
      const open = (await repo.refundRequestsOf(tx, request.orderId)).filter((r) => r.status !== 'succeeded');
      // A refund of stray money (late or duplicate payment) leaves the order's own state alone:
      // the compare-and-set moves only an order that is refunding.
      if (open.length === 0) await moveOrders(tx, [request.orderId], 'refunding', 'refunded', 'refund_succeeded', now);
      return true;
    }
    const next = nextRefundAttempt(attempts, { baseSeconds: deps.settings.refundRetrySeconds, maxAttempts: deps.settings.refundMaxAttempts });
    const lastError = result.status === 'processing' ? 'the provider is still processing the refund' : result.error;
    await repo.updateRefundRequest(tx, request.id, {
      attempts,
      lastError,
      at: now,
      ...(next.stuck ? { status: 'stuck' as const } : { nextAttemptAt: new Date(now.getTime() + next.delaySeconds * 1000) }),
    });
    return true;
  });
}

// ——— operators' refunds (no admin route reaches these yet) ———

/**
 * After-sale refund of a member of a succeeded group buy: their order goes back, their seat is
 * given up and the unit returns to stock; the group stays succeeded and its view shows one fewer.
 */
export async function refundAfterSale(deps: GroupBuyDeps, orderId: string): Promise<Order> {
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

/** An operator sends a stuck refund round again, with a fresh set of attempts. */
export async function retryStuckRefund(deps: GroupBuyDeps, refundRequestId: string): Promise<void> {
  const request = await repo.findRefundRequest(deps.db, refundRequestId);
  if (!request || request.status !== 'stuck') throw new AppError('ORDER_STATE_INVALID', 'Only a stuck refund can be retried');
  await repo.updateRefundRequest(deps.db, request.id, { status: 'pending', attempts: 0, nextAttemptAt: deps.clock.now(), at: deps.clock.now() });
}
