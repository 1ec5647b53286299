import { PaymentNotification, type PaymentRequest } from '@jizan/shared';
import { Value } from 'typebox/value';
import type { Db, Executor } from '../../db/client.js';
import type { BoardSync } from '../../lib/board-sync.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { requireCampaign } from '../campaigns/campaigns.service.js';
import { creditGroupJoin } from '../ledger/ledger.service.js';
import { isExpired, succeedsWith } from './group-rules.js';
import { requireProduct } from './groupbuy.service.js';
import { lockGroup, markOpen, type GroupRow } from './groups.repository.js';
import type { Notifier } from './notifier.js';
import { countPaidOrders, findOrder, lockOrder, sharerOfShare, type OrderRow } from './orders.repository.js';
import { moveOrders, succeedGroup } from './orders.service.js';
import { noPaymentProvider, type PaymentProvider, type SignedNotification } from './payment-provider.js';
import { addPaidAmount, insertPayment } from './payments.repository.js';
import { insertRefundRequests } from './refunds.repository.js';

// The money coming in, through the provider (payment-provider.ts): asking it to collect an order,
// and applying what it notifies. The provider's other calls (query, close) belong here as they come.

/** What applying a payment needs; GroupBuyDeps carries it (groupbuy.deps.ts, which wires the dev provider to this handler). */
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
 * Asks the provider to collect an unpaid order. Runs outside any transaction: the dev provider
 * pays at once through the notification handler, which opens its own.
 */
export async function collectPayment(deps: { db: Db; payments: PaymentProvider }, orderId: string, userId: string): Promise<PaymentRequest | undefined> {
  const order = await findOrder(deps.db, orderId);
  if (!order || order.status !== 'pending_payment') return undefined;
  const result = await deps.payments.prepay({ orderId: order.id, userId, amount: order.amount, description: 'group buy' });
  return result.kind === 'client' ? { provider: deps.payments.name, params: result.params } : undefined;
}

function parseNotification(rawBody: string): PaymentNotification {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    throw new AppError('INVALID_JSON', 'The notification body is not valid JSON');
  }
  if (!Value.Check(PaymentNotification, parsed)) {
    throw new AppError('VALIDATION_FAILED', 'The notification does not match the payment notification schema');
  }
  return parsed;
}

/**
 * The provider says a payment happened. Verified first (signature over the raw body), then applied
 * once: the payment row is unique per provider transaction, so a replay changes nothing. Order of
 * delivery does not matter: whichever payment is the N-th paid seat closes the group, and money
 * for an order that can no longer use it (cancelled, or paid twice) is recorded and given back.
 */
export async function handlePaymentNotification(deps: PaymentDeps, n: SignedNotification): Promise<{ received: true }> {
  const now = deps.clock.now();
  if (!deps.payments.verifyNotification(n, now)) {
    throw new AppError('PAYMENT_SIGNATURE_INVALID', 'The payment notification signature did not verify');
  }
  const note = parseNotification(n.rawBody);
  let credited = null as { campaignId: string; sharerId: string } | null;
  await deps.db.transaction(async (tx) => {
    const found = await findOrder(tx, note.orderId);
    if (!found) throw new AppError('ORDER_NOT_FOUND', 'No such order');
    // Group first, then order: the same lock order as joins and the expiry job, so no deadlock.
    const group = (await lockGroup(tx, found.groupId))!;
    const order = (await lockOrder(tx, found.id))!;
    if (note.amount !== order.amount) {
      throw new AppError('PAYMENT_AMOUNT_MISMATCH', `The order costs ${order.amount} fen but ${note.amount} were notified`);
    }
    const payment = await insertPayment(tx, {
      orderId: order.id,
      amount: note.amount,
      provider: deps.payments.name,
      transactionId: note.transactionId,
      paidAt: new Date(note.paidAt),
      at: now,
    });
    if (!payment) return;
    await addPaidAmount(tx, order.id, payment.amount, now);

    const usable = order.status === 'pending_payment' && (group.status === 'pending' || group.status === 'open');
    if (!usable) {
      const reason = order.status === 'cancelled' || order.status === 'pending_payment' ? 'late_payment' : 'duplicate_payment';
      await insertRefundRequests(tx, [{ orderId: order.id, paymentId: payment.id, amount: payment.amount, reason }], now);
      return;
    }
    await moveOrders(tx, [order.id], 'pending_payment', 'paid', 'payment', now);
    if (order.shareId) credited = await creditSharer(tx, order, group, now);
    let current = group;
    if (group.status === 'pending') {
      const product = await requireProduct(tx, group.productId);
      current = await markOpen(tx, group.id, now, new Date(now.getTime() + product.groupWindowSeconds * 1000));
    }
    if (!isExpired(current.expiresAt, now) && succeedsWith(await countPaidOrders(tx, group.id), current.groupSize)) {
      await succeedGroup(deps, tx, current, now, 'group_succeeded');
    }
  });
  // After the commit: a board kept outside PostgreSQL raises the sharer (and their team).
  if (credited) deps.boards.moved(credited.campaignId, [credited.sharerId], 'raised');
  return { received: true };
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
