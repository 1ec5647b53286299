import type { MyOrdersResponse, Order, OrderStatus, PaymentRequest } from '@jizan/shared';
import { LIMITS } from '@jizan/shared/constants';
import type { GroupBuyConfig } from '../../config.js';
import type { Executor } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import { iso } from '../../lib/time.js';
import { couponDiscountFor, redeemCoupon, returnCoupons } from '../coupons/coupons.service.js';
import { orderAmount, withinPurchaseLimit } from './group-rules.js';
import { chinaTime, yuan } from '../notifications/message-rules.js';
import { findProduct, releaseStock, reserveStock, type ProductRow } from './groupbuy.repository.js';
import { insertSeat, markClosed, releaseSeats, type GroupRow } from './groups.repository.js';
import type { GroupNotice, Notifier } from './notifier.js';
import { ACTIVE_ORDER_STATUSES, assertTransition } from './order-rules.js';
import * as repo from './orders.repository.js';

// An order's life: placed with its seat, moved only along order-rules' transitions, cancelled when
// unpaid in time, grouped when its group succeeds. Paying it is payments.service, giving money back refunds.service.

export function toOrder(o: repo.OrderView, payment?: PaymentRequest): Order {
  return {
    id: o.id,
    status: o.status,
    amount: o.amount,
    couponDiscount: o.couponDiscount ?? 0,
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

export async function myOrders(deps: { db: Executor }, userId: string, limit: number = LIMITS.pageSizeDefault): Promise<MyOrdersResponse> {
  return { orders: (await repo.orderViews(deps.db, { userId, limit })).map((o) => toOrder(o)) };
}

export async function moveOrders(tx: Executor, orderIds: string[], from: OrderStatus, to: OrderStatus, reason: string, at: Date): Promise<string[]> {
  assertTransition(from, to);
  return repo.transitionOrders(tx, { orderIds, from, to, reason, at });
}

/**
 * Reserves a unit and places the buyer's order with their seat. The stock UPDATE comes first: its
 * row lock serialises every placement of the product, so the per-user count read after it is exact.
 */
export async function placeOrder(
  deps: { settings: GroupBuyConfig },
  tx: Executor,
  v: { product: ProductRow; group: GroupRow; userId: string; shareId: string | null; couponId?: string | null; now: Date },
): Promise<repo.OrderRow> {
  const { product, group, userId, now } = v;
  if (!(await reserveStock(tx, product.id))) throw new AppError('OUT_OF_STOCK', 'This product is sold out');
  const active = await repo.countOrdersOf(tx, product.id, userId, ACTIVE_ORDER_STATUSES);
  if (!withinPurchaseLimit(active, product.perUserLimit)) {
    throw new AppError('PURCHASE_LIMIT_REACHED', `You may hold at most ${product.perUserLimit} order(s) of this product`);
  }
  const payBy = new Date(now.getTime() + deps.settings.payWindowSeconds * 1000);
  const price = orderAmount(product);
  // The order costs the group price less its coupon's discount, and that is what the buyer is asked to pay.
  const discount = v.couponId ? await couponDiscountFor(tx, { couponId: v.couponId, userId, campaignId: group.campaignId, price, now }) : 0;
  const order = await repo.insertOrder(tx, {
    userId,
    productId: product.id,
    groupId: group.id,
    campaignId: group.campaignId,
    shareId: v.shareId,
    amount: price - discount,
    // Paying after the group's end would buy nothing, so the deadline never outlasts the group.
    payDeadline: group.status === 'open' && group.expiresAt < payBy ? group.expiresAt : payBy,
    at: now,
  });
  if (v.couponId) await redeemCoupon(tx, { couponId: v.couponId, userId, orderId: order.id, campaignId: group.campaignId, discount, now });
  await insertSeat(tx, { groupId: group.id, userId, orderId: order.id, at: now });
  return order;
}

/** Unpaid orders given up: cancelled, their seats and units released. */
export async function cancelUnpaid(tx: Executor, group: GroupRow, orderIds: string[], now: Date): Promise<number> {
  const cancelled = await moveOrders(tx, orderIds, 'pending_payment', 'cancelled', 'unpaid_in_time', now);
  await releaseSeats(tx, group.id, cancelled, now);
  await releaseStock(tx, group.productId, cancelled.length);
  await returnCoupons(tx, { orderIds: cancelled, reason: 'order cancelled: unpaid in time', now });
  return cancelled.length;
}

/** Each paying member's message about the group's end: the facts its inbox line and template fields are filled from. */
export function groupNotices(group: GroupRow, paid: { userId: string; amount: number }[], kind: 'group_succeeded' | 'group_failed', productTitle: string, at: Date): GroupNotice[] {
  const seen = new Set<string>();
  return paid.flatMap((o) => {
    if (seen.has(o.userId)) return [];
    seen.add(o.userId);
    const facts: GroupNotice['facts'] =
      kind === 'group_succeeded'
        ? { groupId: group.id, product: productTitle, groupSize: group.groupSize, price: yuan(o.amount), at: chinaTime(at) }
        : { groupId: group.id, product: productTitle, refund: yuan(o.amount), at: chinaTime(at) };
    return [{ userId: o.userId, kind, groupId: group.id, facts }];
  });
}

/** The N-th paid seat (or virtual fill): every paid order goes to "to ship", members are told. */
export async function succeedGroup(deps: { notifier: Notifier }, tx: Executor, group: GroupRow, now: Date, reason: string): Promise<void> {
  const paid = (await repo.ordersOfGroup(tx, group.id)).filter((o) => o.status === 'paid');
  await markClosed(tx, group.id, 'succeeded', now);
  await moveOrders(tx, paid.map((o) => o.id), 'paid', 'grouped', reason, now);
  const product = await findProduct(tx, group.productId);
  await deps.notifier.notify(tx, groupNotices(group, paid, 'group_succeeded', product?.title ?? '拼团商品', now), now);
}
