import {
  PaymentNotification,
  type Group,
  type GroupJoinBlocker,
  type MyNotificationsResponse,
  type MyOrdersResponse,
  type Order,
  type OrderStatus,
  type PaymentRequest,
  type Product,
  type ProductDetail,
  type ProductListResponse,
} from '@jizan/shared';
import type { ErrorCode } from '@jizan/shared/errors';
import { LIMITS } from '@jizan/shared/constants';
import { Value } from 'typebox/value';
import type { GroupBuyConfig } from '../../config.js';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { BoardSync } from '../../lib/board-sync.js';
import { AppError } from '../../lib/errors.js';
import { iso } from '../../lib/time.js';
import { assertLive, campaignStatus } from '../campaigns/campaign-rules.js';
import { requireCampaign, requireCampaignForOperator } from '../campaigns/campaigns.service.js';
import { runOnce, type Idempotency, type Outcome } from '../idempotency/idempotency.service.js';
import { creditGroupJoin } from '../ledger/ledger.service.js';
import {
  decideAtExpiry,
  isExpired,
  joinBlockedBy,
  nextRefundAttempt,
  orderAmount,
  productProblems,
  seatsLeft,
  succeedsWith,
  withinPurchaseLimit,
  type ProductInput,
} from './group-rules.js';
import type { Notifier } from './notifier.js';
import { ACTIVE_ORDER_STATUSES, assertTransition } from './order-rules.js';
import { noPaymentProvider, type PaymentProvider, type SignedNotification } from './payment-provider.js';
import * as repo from './groupbuy.repository.js';

export interface GroupBuyDeps {
  db: Db;
  clock: Clock;
  payments: PaymentProvider;
  notifier: Notifier;
  settings: GroupBuyConfig;
  /** Told about a sharer's credit once the payment's transaction commits. */
  boards: BoardSync;
}


const OPEN_GROUPS_SHOWN = 20;
const VIRTUAL_NICKNAME = '拼团好友';

// ——— products ———

function toProduct(p: repo.ProductRow): Product {
  return {
    id: p.id,
    campaignId: p.campaignId,
    title: p.title,
    images: p.images,
    price: p.price,
    groupPrice: p.groupPrice,
    groupSize: p.groupSize,
    groupWindowSeconds: p.groupWindowSeconds,
    stock: p.stock,
    perUserLimit: p.perUserLimit,
  };
}

async function requireProduct(ex: Executor, id: string): Promise<repo.ProductRow> {
  const p = await repo.findProduct(ex, id);
  if (!p) throw new AppError('PRODUCT_NOT_FOUND', 'No such product');
  return p;
}

/** The one way products are made (tests and the seed now, the admin API later): every rule is checked here. */
export async function createProduct(deps: { db: Executor }, input: ProductInput & { campaignId: string }): Promise<Product> {
  const problems = productProblems(input);
  if (problems.length > 0) throw new AppError('VALIDATION_FAILED', `The product is invalid: ${problems.join('; ')}`, { problems });
  // Operators stock a campaign before publishing it.
  await requireCampaignForOperator(deps.db, input.campaignId);
  const row = await repo.insertProduct(deps.db, {
    campaignId: input.campaignId,
    title: input.title.trim(),
    images: input.images ?? [],
    price: input.price,
    groupPrice: input.groupPrice,
    groupSize: input.groupSize,
    stock: input.stock,
    virtualFill: Boolean(input.virtualFill),
    ...(input.groupWindowSeconds === undefined ? {} : { groupWindowSeconds: input.groupWindowSeconds }),
    ...(input.perUserLimit === undefined ? {} : { perUserLimit: input.perUserLimit }),
    ...(input.virtualFill ? { virtualFillMinReal: input.virtualFill.minRealMembers } : {}),
  });
  return toProduct(row);
}

export async function listProducts(deps: { db: Executor }, campaignId: string): Promise<ProductListResponse> {
  await requireCampaign(deps.db, campaignId);
  return { products: (await repo.listProducts(deps.db, campaignId)).map(toProduct) };
}

export async function getProduct(deps: { db: Executor; clock: Clock }, productId: string): Promise<ProductDetail> {
  const now = deps.clock.now();
  const product = await requireProduct(deps.db, productId);
  const groups = await repo.listJoinableGroups(deps.db, product.id, now, OPEN_GROUPS_SHOWN);
  return {
    ...toProduct(product),
    openGroups: groups.map((g) => ({
      id: g.id,
      opener: g.opener,
      seatsLeft: seatsLeft({ status: 'open', groupSize: g.groupSize, seatsTaken: g.seatsTaken, expiresAt: g.expiresAt }, now),
      expiresAt: iso(g.expiresAt),
    })),
  };
}

// ——— views ———

function toOrder(o: repo.OrderView, payment?: PaymentRequest): Order {
  return {
    id: o.id,
    status: o.status,
    amount: o.amount,
    productId: o.productId,
    productTitle: o.productTitle,
    groupId: o.groupId,
    paidAmount: o.paidAmount,
    refundedAmount: o.refundedAmount,
    payDeadline: iso(o.payDeadline),
    refund: o.refundStatus ? { status: o.refundStatus, attempts: o.refundAttempts ?? 0 } : null,
    ...(payment && o.status === 'pending_payment' ? { payment } : {}),
    createdAt: iso(o.createdAt),
  };
}

const PAID_STATUSES: readonly OrderStatus[] = ['paid', 'grouped'];

/** The group as everyone sees it, derived from its seats each time so it is never stale. */
async function presentGroup(ex: Executor, groupId: string, viewerId: string | null, now: Date, payment?: PaymentRequest): Promise<Group> {
  const g = await repo.findGroup(ex, groupId);
  if (!g) throw new AppError('GROUP_NOT_FOUND', 'No such group buy');
  const [seats, mine] = await Promise.all([
    repo.seatsOf(ex, g.id),
    viewerId ? repo.orderViews(ex, { userId: viewerId, groupId: g.id, limit: 1 }) : Promise.resolve([]),
  ]);
  const members = seats.map((s) => ({
    id: s.userId,
    nickname: s.virtual ? VIRTUAL_NICKNAME : (s.nickname ?? ''),
    avatarUrl: s.avatarUrl,
    isOpener: s.userId === g.openerId,
    virtual: s.virtual,
    paid: s.virtual || (s.orderStatus !== null && PAID_STATUSES.includes(s.orderStatus)),
    joinedAt: iso(s.joinedAt),
  }));
  return {
    id: g.id,
    productId: g.productId,
    campaignId: g.campaignId,
    status: g.status,
    groupSize: g.groupSize,
    members,
    seatsLeft: seatsLeft(g, now),
    realMembers: members.filter((m) => !m.virtual).length,
    virtualMembers: members.filter((m) => m.virtual).length,
    expiresAt: iso(g.expiresAt),
    openedAt: g.openedAt ? iso(g.openedAt) : null,
    closedAt: g.closedAt ? iso(g.closedAt) : null,
    myOrder: mine[0] ? toOrder(mine[0], payment) : null,
  };
}

export async function getGroup(deps: { db: Executor; clock: Clock }, groupId: string, viewerId: string | null): Promise<Group> {
  return presentGroup(deps.db, groupId, viewerId, deps.clock.now());
}

export async function myOrders(deps: { db: Executor }, userId: string, limit: number = LIMITS.pageSizeDefault): Promise<MyOrdersResponse> {
  return { orders: (await repo.orderViews(deps.db, { userId, limit })).map((o) => toOrder(o)) };
}

export async function myNotifications(deps: { db: Executor }, userId: string, limit: number = LIMITS.pageSizeDefault): Promise<MyNotificationsResponse> {
  const found = await repo.notificationsOf(deps.db, userId, limit);
  return {
    notifications: found.map((n) => ({ id: String(n.id), kind: n.kind, groupId: n.groupId, title: n.title, createdAt: iso(n.createdAt) })),
  };
}

// ——— placing orders ———

interface Placement {
  groupId: string;
  orderId: string;
}

function assertCanSell(deps: GroupBuyDeps): void {
  if (deps.payments === noPaymentProvider) {
    throw new AppError('PAYMENT_UNAVAILABLE', 'Payments are not set up on this server yet');
  }
}

/**
 * Reserves a unit and places the buyer's order with their seat. The stock UPDATE comes first: its
 * row lock serialises every placement of the product, so the per-user count read after it is exact.
 */
async function placeOrder(
  deps: GroupBuyDeps,
  tx: Executor,
  v: { product: repo.ProductRow; group: repo.GroupRow; userId: string; shareId: string | null; now: Date },
): Promise<repo.OrderRow> {
  const { product, group, userId, now } = v;
  if (!(await repo.reserveStock(tx, product.id))) throw new AppError('OUT_OF_STOCK', 'This product is sold out');
  const active = await repo.countOrdersOf(tx, product.id, userId, ACTIVE_ORDER_STATUSES);
  if (!withinPurchaseLimit(active, product.perUserLimit)) {
    throw new AppError('PURCHASE_LIMIT_REACHED', `You may hold at most ${product.perUserLimit} order(s) of this product`);
  }
  const payBy = new Date(now.getTime() + deps.settings.payWindowSeconds * 1000);
  const order = await repo.insertOrder(tx, {
    userId,
    productId: product.id,
    groupId: group.id,
    campaignId: group.campaignId,
    shareId: v.shareId,
    amount: orderAmount(product),
    // Paying after the group's end would buy nothing, so the deadline never outlasts the group.
    payDeadline: group.status === 'open' && group.expiresAt < payBy ? group.expiresAt : payBy,
    at: now,
  });
  await repo.insertSeat(tx, { groupId: group.id, userId, orderId: order.id, at: now });
  return order;
}

/**
 * Asks the provider to collect an unpaid order. Runs outside any transaction: the dev provider
 * pays at once through the notification handler, which opens its own.
 */
async function collectPayment(deps: GroupBuyDeps, orderId: string, userId: string): Promise<PaymentRequest | undefined> {
  const order = await repo.findOrder(deps.db, orderId);
  if (!order || order.status !== 'pending_payment') return undefined;
  const result = await deps.payments.prepay({ orderId: order.id, userId, amount: order.amount, description: 'group buy' });
  return result.kind === 'client' ? { provider: deps.payments.name, params: result.params } : undefined;
}

/** After the placement committed (or replayed): collect payment, then answer the group as it is now. */
async function answer(deps: GroupBuyDeps, placed: Outcome<Placement>, userId: string): Promise<Outcome<Group>> {
  const payment = await collectPayment(deps, placed.body.orderId, userId);
  const body = await presentGroup(deps.db, placed.body.groupId, userId, deps.clock.now(), payment);
  return { statusCode: placed.statusCode, replayed: placed.replayed, body };
}

/**
 * Opens a group buy: the caller's order at the group price and the first seat. The group is
 * `pending` until that order is paid (at once with the dev provider) and `open` from then on.
 * A retry with the same Idempotency-Key places nothing new and answers the same group.
 */
export async function openGroup(
  deps: GroupBuyDeps,
  req: { userId: string; productId: string; idempotency: Idempotency },
): Promise<Outcome<Group>> {
  assertCanSell(deps);
  const placed = await runOnce(deps, { userId: req.userId, ...req.idempotency, statusCode: 201 }, async (tx): Promise<Placement> => {
    const now = deps.clock.now();
    const product = await requireProduct(tx, req.productId);
    assertLive(await requireCampaign(tx, product.campaignId), now);
    const payBy = new Date(now.getTime() + deps.settings.payWindowSeconds * 1000);
    // Until the opener pays, the group lives only as long as their payment deadline.
    const group = await repo.insertGroup(tx, {
      productId: product.id,
      campaignId: product.campaignId,
      openerId: req.userId,
      groupSize: product.groupSize,
      expiresAt: payBy,
      at: now,
    });
    const order = await placeOrder(deps, tx, { product, group, userId: req.userId, shareId: null, now });
    return { groupId: group.id, orderId: order.id };
  });
  return answer(deps, placed, req.userId);
}

const JOIN_REFUSALS: Partial<Record<ErrorCode, string>> = {
  ALREADY_IN_GROUP: 'You already hold a seat in this group buy',
  GROUP_EXPIRED: 'This group buy has ended',
  GROUP_FULL: 'This group buy has no seat left',
  GROUP_NOT_OPEN: 'This group buy opens once its opener has paid',
};

/**
 * Takes a seat in an open group buy. The group's row lock serialises its joiners, payments and
 * close, so a group of N never seats more than N however many try at once.
 */
export async function joinGroup(
  deps: GroupBuyDeps,
  req: { userId: string; groupId: string; shareId?: string | null; idempotency: Idempotency },
): Promise<Outcome<Group>> {
  assertCanSell(deps);
  const placed = await runOnce(deps, { userId: req.userId, ...req.idempotency, statusCode: 200 }, async (tx): Promise<Placement> => {
    const now = deps.clock.now();
    const group = await repo.lockGroup(tx, req.groupId);
    if (!group) throw new AppError('GROUP_NOT_FOUND', 'No such group buy');
    assertLive(await requireCampaign(tx, group.campaignId), now);
    const seat = await repo.findActiveSeat(tx, group.id, req.userId);
    const blocked = joinBlockedBy({ authenticated: true, campaignLive: true, group, alreadyMember: Boolean(seat), now });
    if (blocked) throw new AppError(blocked, JOIN_REFUSALS[blocked] ?? 'You cannot join this group buy now');
    const product = await requireProduct(tx, group.productId);
    const seated = await repo.takeSeat(tx, group.id);
    if (!seated) throw new AppError('GROUP_FULL', JOIN_REFUSALS.GROUP_FULL!);
    const order = await placeOrder(deps, tx, { product, group: seated, userId: req.userId, shareId: req.shareId ?? null, now });
    return { groupId: group.id, orderId: order.id };
  });
  return answer(deps, placed, req.userId);
}

/** What a group-buy card's landing shows: whether this viewer could join now, and if not why. */
export async function groupJoinBlockedBy(deps: { db: Executor; clock: Clock }, groupId: string, viewerId: string | null): Promise<GroupJoinBlocker | null> {
  const now = deps.clock.now();
  const group = await repo.findGroup(deps.db, groupId);
  if (!group) return 'GROUP_NOT_FOUND';
  const campaign = await requireCampaign(deps.db, group.campaignId);
  const seat = viewerId ? await repo.findActiveSeat(deps.db, group.id, viewerId) : undefined;
  return joinBlockedBy({
    authenticated: viewerId !== null,
    campaignLive: campaignStatus(campaign, now) === 'live',
    group,
    alreadyMember: Boolean(seat),
    now,
  });
}

// ——— order transitions, success and failure ———

async function moveOrders(tx: Executor, orderIds: string[], from: OrderStatus, to: OrderStatus, reason: string, at: Date): Promise<string[]> {
  assertTransition(from, to);
  return repo.transitionOrders(tx, { orderIds, from, to, reason, at });
}

function notices(group: repo.GroupRow, userIds: string[], kind: 'group_succeeded' | 'group_failed') {
  const title = kind === 'group_succeeded' ? '拼团成功，商品即将发货' : '拼团未成功，款项将原路退回';
  return [...new Set(userIds)].map((userId) => ({ userId, kind, groupId: group.id, title, payload: { productId: group.productId } }));
}

/** The N-th paid seat (or virtual fill): every paid order goes to "to ship", members are told. */
async function succeed(deps: GroupBuyDeps, tx: Executor, group: repo.GroupRow, now: Date, reason: string): Promise<void> {
  const paid = (await repo.ordersOfGroup(tx, group.id)).filter((o) => o.status === 'paid');
  await repo.markClosed(tx, group.id, 'succeeded', now);
  await moveOrders(tx, paid.map((o) => o.id), 'paid', 'grouped', reason, now);
  await deps.notifier.notify(tx, notices(group, paid.map((o) => o.userId), 'group_succeeded'), now);
}

/** Orders whose money must go back: each is refunding, its unit back in stock, one refund per payment. */
async function startRefunds(
  tx: Executor,
  v: { orderIds: string[]; from: 'paid' | 'grouped'; productId: string; reason: repo.RefundReason; now: Date },
): Promise<void> {
  const moved = await moveOrders(tx, v.orderIds, v.from, 'refunding', v.reason, v.now);
  await repo.releaseStock(tx, v.productId, moved.length);
  const paid = await repo.paymentsOf(tx, moved);
  await repo.insertRefundRequests(tx, paid.map((p) => ({ orderId: p.orderId, paymentId: p.id, amount: p.amount, reason: v.reason })), v.now);
}

/** Unpaid orders given up: cancelled, their seats and units released. */
async function cancelUnpaid(tx: Executor, group: repo.GroupRow, orderIds: string[], now: Date): Promise<number> {
  const cancelled = await moveOrders(tx, orderIds, 'pending_payment', 'cancelled', 'unpaid_in_time', now);
  await repo.releaseSeats(tx, group.id, cancelled, now);
  await repo.releaseStock(tx, group.productId, cancelled.length);
  return cancelled.length;
}

// ——— payment notifications ———

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
export async function handlePaymentNotification(deps: GroupBuyDeps, n: SignedNotification): Promise<{ received: true }> {
  const now = deps.clock.now();
  if (!deps.payments.verifyNotification(n, now)) {
    throw new AppError('PAYMENT_SIGNATURE_INVALID', 'The payment notification signature did not verify');
  }
  const note = parseNotification(n.rawBody);
  let credited = null as { campaignId: string; sharerId: string } | null;
  await deps.db.transaction(async (tx) => {
    const found = await repo.findOrder(tx, note.orderId);
    if (!found) throw new AppError('ORDER_NOT_FOUND', 'No such order');
    // Group first, then order: the same lock order as joins and the expiry job, so no deadlock.
    const group = (await repo.lockGroup(tx, found.groupId))!;
    const order = (await repo.lockOrder(tx, found.id))!;
    if (note.amount !== order.amount) {
      throw new AppError('PAYMENT_AMOUNT_MISMATCH', `The order costs ${order.amount} fen but ${note.amount} were notified`);
    }
    const payment = await repo.insertPayment(tx, {
      orderId: order.id,
      amount: note.amount,
      provider: deps.payments.name,
      transactionId: note.transactionId,
      paidAt: new Date(note.paidAt),
      at: now,
    });
    if (!payment) return;
    await repo.addPaidAmount(tx, order.id, payment.amount, now);

    const usable = order.status === 'pending_payment' && (group.status === 'pending' || group.status === 'open');
    if (!usable) {
      const reason = order.status === 'cancelled' || order.status === 'pending_payment' ? 'late_payment' : 'duplicate_payment';
      await repo.insertRefundRequests(tx, [{ orderId: order.id, paymentId: payment.id, amount: payment.amount, reason }], now);
      return;
    }
    await moveOrders(tx, [order.id], 'pending_payment', 'paid', 'payment', now);
    if (order.shareId) credited = await creditSharer(tx, order, group, now);
    let current = group;
    if (group.status === 'pending') {
      const product = await requireProduct(tx, group.productId);
      current = await repo.markOpen(tx, group.id, now, new Date(now.getTime() + product.groupWindowSeconds * 1000));
    }
    if (!isExpired(current.expiresAt, now) && succeedsWith(await repo.countPaidOrders(tx, group.id), current.groupSize)) {
      await succeed(deps, tx, current, now, 'group_succeeded');
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
  order: repo.OrderRow,
  group: repo.GroupRow,
  now: Date,
): Promise<{ campaignId: string; sharerId: string } | null> {
  const sharerId = await repo.sharerOfShare(tx, order.shareId!);
  if (!sharerId) return null;
  const campaign = await requireCampaign(tx, group.campaignId);
  const energy = await creditGroupJoin(
    { campaignId: campaign.id, sharerId, groupId: group.id, joinerId: order.userId, energy: campaign.rules.groupJoinEnergy, at: now },
    tx,
  );
  return energy === null ? null : { campaignId: campaign.id, sharerId };
}

// ——— jobs: expiry and refunds ———

/**
 * Closes one group buy whose time is up, in one transaction: unpaid seats are cancelled, then it
 * either fills virtually and succeeds or fails and refunds every paid order. False when none is due.
 */
export async function closeOneExpiredGroup(deps: GroupBuyDeps): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const group = await repo.claimExpiredGroup(tx, now);
    if (!group) return false;
    const orders = await repo.ordersOfGroup(tx, group.id);
    await cancelUnpaid(tx, group, orders.filter((o) => o.status === 'pending_payment').map((o) => o.id), now);
    const paid = orders.filter((o) => o.status === 'paid');
    const product = await requireProduct(tx, group.productId);
    const decision =
      group.status === 'open'
        ? decideAtExpiry({ groupSize: group.groupSize, realPaid: paid.length, virtualFill: product.virtualFill, virtualFillMinReal: product.virtualFillMinReal })
        : ({ outcome: 'fail' } as const);
    if (decision.outcome === 'fill') {
      await repo.addVirtualSeats(tx, group.id, decision.virtualSeats, now);
      await succeed(deps, tx, group, now, 'group_virtually_filled');
      return true;
    }
    await repo.markClosed(tx, group.id, 'failed', now);
    await startRefunds(tx, { orderIds: paid.map((o) => o.id), from: 'paid', productId: group.productId, reason: 'group_failed', now });
    await deps.notifier.notify(tx, notices(group, paid.map((o) => o.userId), 'group_failed'), now);
    return true;
  });
}

/** Cancels the overdue unpaid orders of one open group buy; false when there are none. */
export async function cancelOneGroupsOverdueOrders(deps: GroupBuyDeps): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const group = await repo.claimGroupWithOverdueOrder(tx, now);
    if (!group) return false;
    const overdue = (await repo.ordersOfGroup(tx, group.id)).filter((o) => o.status === 'pending_payment' && o.payDeadline <= now);
    await cancelUnpaid(tx, group, overdue.map((o) => o.id), now);
    return true;
  });
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
    const payment = (await repo.findPayment(tx, request.paymentId))!;
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

/** Runs `step` until it reports nothing left, `max` is reached or the job is asked to stop. */
async function drain(step: () => Promise<boolean>, max: number, signal?: AbortSignal): Promise<number> {
  let done = 0;
  while (done < max && !signal?.aborted && (await step())) done += 1;
  return done;
}

/** The expiry job's run: groups whose time is up, then unpaid orders past their deadline. */
export async function expireDue(deps: GroupBuyDeps, opts: { max?: number; signal?: AbortSignal } = {}): Promise<number> {
  const max = opts.max ?? 500;
  const groups = await drain(() => closeOneExpiredGroup(deps), max, opts.signal);
  const orders = await drain(() => cancelOneGroupsOverdueOrders(deps), max, opts.signal);
  return groups + orders;
}

/** The refund job's run: every refund due for an attempt. */
export async function refundDue(deps: GroupBuyDeps, opts: { max?: number; signal?: AbortSignal } = {}): Promise<number> {
  return drain(() => attemptOneRefund(deps), opts.max ?? 500, opts.signal);
}

// ——— operators (the admin API will call these) ———

/**
 * After-sale refund of a member of a succeeded group buy: their order goes back, their seat is
 * given up and the unit returns to stock; the group stays succeeded and its view shows one fewer.
 */
export async function refundAfterSale(deps: GroupBuyDeps, orderId: string): Promise<Order> {
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const found = await repo.findOrder(tx, orderId);
    if (!found) throw new AppError('ORDER_NOT_FOUND', 'No such order');
    const group = (await repo.lockGroup(tx, found.groupId))!;
    const order = (await repo.lockOrder(tx, found.id))!;
    if (order.status !== 'grouped') {
      throw new AppError('ORDER_STATE_INVALID', `Only an order of a succeeded group buy is refunded after sale; this one is ${order.status}`);
    }
    await startRefunds(tx, { orderIds: [order.id], from: 'grouped', productId: group.productId, reason: 'after_sale', now });
    await repo.releaseSeats(tx, group.id, [order.id], now);
  });
  const [view] = await repo.orderViews(deps.db, { orderId, limit: 1 });
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

/** Kept totals that differ from the rows they sum (orders' money, groups' seats); empty when the books agree. */
export { findDrift as findGroupBuyDrift } from './groupbuy.repository.js';

export type ProductPatch = Partial<Pick<ProductInput, 'title' | 'images' | 'price' | 'groupPrice' | 'perUserLimit'>>;

/** An operator's edit of a product, checked by the same rules as a new one; runs in the caller's executor. */
export async function updateProduct(ex: Executor, productId: string, patch: ProductPatch): Promise<{ before: Product; after: Product }> {
  const current = await requireProduct(ex, productId);
  const merged: ProductInput = {
    title: patch.title ?? current.title,
    images: patch.images ?? current.images,
    price: patch.price ?? current.price,
    groupPrice: patch.groupPrice ?? current.groupPrice,
    groupSize: current.groupSize,
    stock: current.stock,
    perUserLimit: patch.perUserLimit ?? current.perUserLimit,
  };
  const problems = productProblems(merged);
  if (problems.length > 0) throw new AppError('VALIDATION_FAILED', `The product is invalid: ${problems.join('; ')}`, { problems });
  const row = await repo.updateProduct(ex, productId, {
    title: merged.title.trim(),
    images: merged.images ?? [],
    price: merged.price,
    groupPrice: merged.groupPrice,
    perUserLimit: merged.perUserLimit ?? current.perUserLimit,
  });
  return { before: toProduct(current), after: toProduct(row!) };
}

/** Adds or removes units; refuses to take more than is left (placed orders keep theirs). */
export async function adjustStock(ex: Executor, productId: string, delta: number): Promise<{ before: Product; after: Product }> {
  const current = await requireProduct(ex, productId);
  const row = await repo.adjustStock(ex, productId, delta);
  if (!row) throw new AppError('OUT_OF_STOCK', `Only ${current.stock} unit(s) are left to remove`);
  // Placements may have moved stock since the read above: "before" is what this change started from.
  const after = toProduct(row);
  return { before: { ...after, stock: row.stock - delta }, after };
}
