import type { Order, PaymentRequest } from '@jizan/shared';
import type { Db, Executor } from '../../db/client.js';
import type { BoardSync } from '../../lib/board-sync.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { isWechatPayError, WechatPayApiError } from '../../lib/wechatpay/errors.js';
import { acknowledged, answerFor, type IncomingNotification, type NotificationAnswer } from '../../lib/wechatpay/notification.js';
import { requireCampaign } from '../campaigns/campaigns.service.js';
import { creditGroupJoin } from '../ledger/ledger.service.js';
import { openidOf } from '../users/users.service.js';
import { isExpired, succeedsWith } from './group-rules.js';
import { requireProduct } from './groupbuy.service.js';
import { lockGroup, markOpen, type GroupRow } from './groups.repository.js';
import type { Notifier } from './notifier.js';
import { countPaidOrders, findOrder, lockOrder, orderViews, sharerOfShare, type OrderRow } from './orders.repository.js';
import { moveOrders, succeedGroup, toOrder } from './orders.service.js';
import { noPaymentProvider, type PaidTransaction, type PaymentProvider } from './payment-provider.js';
import { addPaidAmount, claimOrderToAsk, insertPayment, insertPaymentAnomaly, type PaymentAnomalyKind } from './payments.repository.js';
import { applyRefundOutcome } from './refunds.service.js';
import { insertRefundRequests } from './refunds.repository.js';

// The money coming in, through the provider (payment-provider.ts): a prepay and its pay sheet,
// the notifications that say what was paid, and the query that finds out what no notification said.

/** What applying a payment needs; GroupBuyDeps carries it (groupbuy.deps.ts). */
export interface PaymentDeps {
  db: Db;
  clock: Clock;
  payments: PaymentProvider;
  notifier: Notifier;
  /** Told about a sharer's credit once the payment's transaction commits. */
  boards: BoardSync;
}

export function assertCanSell(deps: { payments: PaymentProvider }): void {
  if (deps.payments === noPaymentProvider) {
    throw new AppError('PAYMENT_UNAVAILABLE', 'Payments are not set up on this server yet');
  }
}

/**
 * The pay sheet for an unpaid order: a prepay under the order's own number (so asking again, after
 * a cancelled sheet or a retry, reuses it and can never charge twice), signed for the buyer's
 * openid. Undefined when the order is no longer waiting for money. Runs outside any transaction:
 * the platform is called over the network, and a simulated buyer may pay at once.
 */
export async function collectPayment(deps: PaymentDeps, orderId: string, userId: string): Promise<PaymentRequest | undefined> {
  const order = await findOrder(deps.db, orderId);
  if (!order || order.userId !== userId || order.status !== 'pending_payment') return undefined;
  if (order.payDeadline <= deps.clock.now()) return undefined;
  const product = await requireProduct(deps.db, order.productId);
  try {
    const params = await deps.payments.prepay({
      orderId: order.id,
      openid: await openidOf(deps.db, userId),
      amount: order.amount,
      description: `拼团 ${product.title}`,
      payBy: order.payDeadline,
    });
    return { provider: deps.payments.name, params };
  } catch (err) {
    if (!isWechatPayError(err)) throw err;
    // The order stands and stays payable; retrying (the same Idempotency-Key, or 去支付) asks for the same prepay.
    throw new AppError('PAYMENT_UNAVAILABLE', 'The pay service did not answer; your order is kept, try paying again in a moment', {
      orderId: order.id,
      platform: err instanceof WechatPayApiError ? err.code : err.name,
    });
  }
}

/**
 * My unpaid order's pay sheet, again: the buyer closed the sheet (or lost it) and taps 去支付.
 * The same prepay stands behind it, so paying it twice is impossible.
 */
export async function payOrder(deps: PaymentDeps, userId: string, orderId: string): Promise<Order> {
  const order = await findOrder(deps.db, orderId);
  if (!order || order.userId !== userId) throw new AppError('ORDER_NOT_FOUND', 'No such order');
  if (order.status !== 'pending_payment') throw new AppError('ORDER_STATE_INVALID', `This order is ${order.status}: there is nothing to pay`);
  if (order.payDeadline <= deps.clock.now()) throw new AppError('ORDER_STATE_INVALID', 'The time to pay for this order is over');
  const payment = await collectPayment(deps, orderId, userId);
  const [view] = await orderViews(deps.db, { orderId, limit: 1 });
  return toOrder(view!, payment);
}

/**
 * A notification from the platform, as its route receives it: verified and decrypted first
 * (nothing changes when that fails), then applied once. The answer is the platform's protocol:
 * 204 when done, a `{code: "FAIL"}` body otherwise, which makes it deliver again later.
 */
export async function receiveNotification(deps: PaymentDeps, n: IncomingNotification): Promise<NotificationAnswer> {
  try {
    const event = await deps.payments.openNotification(n);
    if (event.kind === 'paid') await applyPayment(deps, event);
    else await applyRefundOutcome(deps, event);
    return acknowledged;
  } catch (err) {
    if (err instanceof AppError) return { status: 400, body: { code: 'FAIL', message: `${err.code}: ${err.message}` } };
    return answerFor(err);
  }
}

/** What the platform said was paid, applied in its own transaction (see applyPaymentIn). */
export async function applyPayment(deps: PaymentDeps, paid: PaidTransaction): Promise<void> {
  let credited = null as { campaignId: string; sharerId: string } | null;
  await deps.db.transaction(async (tx) => {
    credited = await applyPaymentIn(deps, tx, paid);
  });
  // After the commit: a board kept outside PostgreSQL raises the sharer (and their team).
  const c = credited as { campaignId: string; sharerId: string } | null;
  if (c) deps.boards.moved(c.campaignId, [c.sharerId], 'raised');
}

/**
 * A payment, applied once: the payment row is unique per provider transaction, so a replayed or
 * duplicated notification changes nothing. Order of delivery does not matter: whichever payment
 * is the N-th paid seat closes the group, and money for an order that can no longer use it
 * (cancelled, or paid twice) is recorded and given back. Runs in the caller's transaction (the
 * expiry job applies what its query found), and answers whom the payment credited.
 */
export async function applyPaymentIn(
  deps: { payments: PaymentProvider; notifier: Notifier; clock: Clock },
  tx: Executor,
  paid: PaidTransaction,
): Promise<{ campaignId: string; sharerId: string } | null> {
  const now = deps.clock.now();
  const found = paid.orderId ? await findOrder(tx, paid.orderId) : undefined;
  const anomaly = (kind: PaymentAnomalyKind, orderId: string | null, detail: Record<string, unknown>) =>
    insertPaymentAnomaly(tx, { provider: deps.payments.name, kind, outTradeNo: paid.outTradeNo, transactionId: paid.transactionId, orderId, amount: paid.amount, detail, at: now });
  if (!found) {
    await anomaly('unknown_order', null, { paidAt: paid.paidAt.toISOString() });
    return null;
  }
  // Group first, then order: the same lock order as joins and the expiry job, so no deadlock.
  const group = (await lockGroup(tx, found.groupId))!;
  const order = (await lockOrder(tx, found.id))!;
  // Money that does not fit the order is never taken as its payment: kept for an operator to settle.
  if (paid.amount !== order.amount) {
    await anomaly('amount_mismatch', order.id, { orderAmount: order.amount });
    return null;
  }
  const buyer = await openidOf(tx, order.userId);
  if (paid.payerOpenid !== null && paid.payerOpenid !== buyer) {
    await anomaly('payer_mismatch', order.id, { payer: paid.payerOpenid });
    return null;
  }
  const payment = await insertPayment(tx, {
    orderId: order.id,
    amount: paid.amount,
    provider: deps.payments.name,
    transactionId: paid.transactionId,
    paidAt: paid.paidAt,
    at: now,
  });
  if (!payment) return null;
  await addPaidAmount(tx, order.id, payment.amount, now);

  const usable = order.status === 'pending_payment' && (group.status === 'pending' || group.status === 'open');
  if (!usable) {
    const reason = order.status === 'cancelled' || order.status === 'pending_payment' ? 'late_payment' : 'duplicate_payment';
    await insertRefundRequests(tx, [{ orderId: order.id, paymentId: payment.id, amount: payment.amount, reason }], now);
    return null;
  }
  await moveOrders(tx, [order.id], 'pending_payment', 'paid', 'payment', now);
  const credited = order.shareId ? await creditSharer(tx, order, group, now) : null;
  let current = group;
  if (group.status === 'pending') {
    const product = await requireProduct(tx, group.productId);
    current = await markOpen(tx, group.id, now, new Date(now.getTime() + product.groupWindowSeconds * 1000));
  }
  if (!isExpired(current.expiresAt, now) && succeedsWith(await countPaidOrders(tx, group.id), current.groupSize)) {
    await succeedGroup(deps, tx, current, now, 'group_succeeded');
  }
  return credited;
}

/**
 * Before an unpaid order is given up, the platform is asked: paid after all (a notification lost
 * or late) and it is applied; otherwise it is closed there, so the buyer can no longer pay for a
 * seat that is gone. False when the platform could not say (unreachable): the order waits for the
 * next run, never guessed cancelled. Runs in the caller's transaction, which holds the group.
 */
export async function settleUnpaidIn(deps: { payments: PaymentProvider; notifier: Notifier; clock: Clock }, tx: Executor, orderId: string): Promise<'paid' | 'closed' | 'unknown'> {
  try {
    const state = await deps.payments.queryPayment(orderId);
    if (state.state === 'paid') {
      await applyPaymentIn(deps, tx, state);
      return 'paid';
    }
    if (state.state === 'closed') return 'closed';
    if ((await deps.payments.closePayment(orderId)) === 'closed') return 'closed';
    const again = await deps.payments.queryPayment(orderId);
    if (again.state !== 'paid') return 'unknown';
    await applyPaymentIn(deps, tx, again);
    return 'paid';
  } catch (err) {
    if (err instanceof AppError) throw err;
    return 'unknown';
  }
}

/**
 * A friend who joined from a card has paid: the card's sharer (and their team) earn the campaign's
 * `groupJoinEnergy`, in the payment's transaction, once per friend per group.
 */
async function creditSharer(
  tx: Executor,
  order: OrderRow,
  group: GroupRow,
  now: Date,
): Promise<{ campaignId: string; sharerId: string } | null> {
  const sharerId = await sharerOfShare(tx, order.shareId!);
  if (!sharerId) return null;
  const campaign = await requireCampaign(tx, group.campaignId);
  const energy = await creditGroupJoin(tx, {
    campaignId: campaign.id,
    sharerId,
    groupId: group.id,
    joinerId: order.userId,
    energy: campaign.rules.groupJoinEnergy,
    at: now,
  });
  return energy === null ? null : { campaignId: campaign.id, sharerId };
}

/** How long an unpaid order waits for its notification before the platform is asked, and between two askings. */
export const PAYMENT_QUERY_AFTER_MS = 30_000;
export const PAYMENT_QUERY_EVERY_MS = 60_000;

/**
 * One step of the payment query job: an unpaid order whose notification has not come (lost, or
 * the server was killed between the platform's success and our commit) is asked about under its
 * own number, and a payment found is applied as its notification would have been. False when no
 * order is due. A platform that does not answer leaves the order for the next round.
 */
export async function askOnePendingPayment(deps: PaymentDeps): Promise<boolean> {
  const now = deps.clock.now();
  const orderId = await claimOrderToAsk(deps.db, {
    now,
    placedBefore: new Date(now.getTime() - PAYMENT_QUERY_AFTER_MS),
    askedBefore: new Date(now.getTime() - PAYMENT_QUERY_EVERY_MS),
  });
  if (!orderId) return false;
  const state = await deps.payments.queryPayment(orderId).catch(() => null);
  if (state?.state === 'paid') await applyPayment(deps, state);
  return true;
}
