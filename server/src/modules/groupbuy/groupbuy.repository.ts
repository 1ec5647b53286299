import type { OrderStatus, RefundStatus } from '@jizan/shared';
import { and, asc, count, desc, eq, gt, inArray, isNull, lte, sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';
import {
  groupBuyMembers,
  groupBuys,
  notifications,
  orderTransitions,
  orders,
  payments,
  products,
  refundRequests,
  refunds,
  shares,
  users,
} from '../../db/schema/index.js';
import type { GroupNotice } from './notifier.js';

export type ProductRow = typeof products.$inferSelect;
export type NewProduct = typeof products.$inferInsert;
export type GroupRow = typeof groupBuys.$inferSelect;
export type OrderRow = typeof orders.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;
export type RefundRequestRow = typeof refundRequests.$inferSelect;
export type RefundReason = RefundRequestRow['reason'];

// ——— products ———

export async function insertProduct(ex: Executor, values: NewProduct): Promise<ProductRow> {
  const [row] = await ex.insert(products).values(values).returning();
  return row!;
}

export async function findProduct(ex: Executor, id: string): Promise<ProductRow | undefined> {
  const [row] = await ex.select().from(products).where(eq(products.id, id));
  return row;
}

export async function listProducts(ex: Executor, campaignId: string): Promise<ProductRow[]> {
  return ex.select().from(products).where(eq(products.campaignId, campaignId)).orderBy(asc(products.createdAt), asc(products.id));
}

/**
 * Reserves one unit. The row lock this UPDATE takes serialises every placement of the product
 * until commit, and the WHERE is re-checked after the lock, so stock never goes below zero.
 */
export async function reserveStock(ex: Executor, productId: string): Promise<ProductRow | undefined> {
  const [row] = await ex
    .update(products)
    .set({ stock: sql`${products.stock} - 1` })
    .where(and(eq(products.id, productId), sql`${products.stock} >= 1`))
    .returning();
  return row;
}

export async function releaseStock(ex: Executor, productId: string, units: number): Promise<void> {
  if (units <= 0) return;
  await ex.update(products).set({ stock: sql`${products.stock} + ${units}` }).where(eq(products.id, productId));
}

// ——— group buys and seats ———

export async function insertGroup(
  ex: Executor,
  v: { productId: string; campaignId: string; openerId: string; groupSize: number; expiresAt: Date; at: Date },
): Promise<GroupRow> {
  const [row] = await ex
    .insert(groupBuys)
    .values({ ...v, status: 'pending', seatsTaken: 1, createdAt: v.at })
    .returning();
  return row!;
}

export async function findGroup(ex: Executor, id: string): Promise<GroupRow | undefined> {
  const [row] = await ex.select().from(groupBuys).where(eq(groupBuys.id, id));
  return row;
}

/** Every seat, payment and close of one group buy goes through this lock, so they happen one at a time. */
export async function lockGroup(ex: Executor, id: string): Promise<GroupRow | undefined> {
  const [row] = await ex.select().from(groupBuys).where(eq(groupBuys.id, id)).for('update');
  return row;
}

/** Takes a seat if one is left (the check constraint would refuse an N+1-th anyway). */
export async function takeSeat(ex: Executor, groupId: string): Promise<GroupRow | undefined> {
  const [row] = await ex
    .update(groupBuys)
    .set({ seatsTaken: sql`${groupBuys.seatsTaken} + 1` })
    .where(and(eq(groupBuys.id, groupId), sql`${groupBuys.seatsTaken} < ${groupBuys.groupSize}`))
    .returning();
  return row;
}

export async function insertSeat(ex: Executor, v: { groupId: string; userId: string; orderId: string; at: Date }): Promise<void> {
  await ex.insert(groupBuyMembers).values({ groupId: v.groupId, userId: v.userId, orderId: v.orderId, joinedAt: v.at });
}

/** Gives the orders' seats up and frees them in the group's count. */
export async function releaseSeats(ex: Executor, groupId: string, orderIds: string[], at: Date): Promise<void> {
  if (orderIds.length === 0) return;
  const released = await ex
    .update(groupBuyMembers)
    .set({ releasedAt: at })
    .where(and(inArray(groupBuyMembers.orderId, orderIds), isNull(groupBuyMembers.releasedAt)))
    .returning({ id: groupBuyMembers.id });
  if (released.length === 0) return;
  await ex
    .update(groupBuys)
    .set({ seatsTaken: sql`${groupBuys.seatsTaken} - ${released.length}` })
    .where(eq(groupBuys.id, groupId));
}

export async function addVirtualSeats(ex: Executor, groupId: string, n: number, at: Date): Promise<void> {
  if (n <= 0) return;
  await ex.insert(groupBuyMembers).values(Array.from({ length: n }, () => ({ groupId, virtual: true, joinedAt: at })));
  await ex
    .update(groupBuys)
    .set({ seatsTaken: sql`${groupBuys.seatsTaken} + ${n}` })
    .where(eq(groupBuys.id, groupId));
}

/** Who sent the card an order was placed through (a read across to the shares table). */
export async function sharerOfShare(ex: Executor, shareId: string): Promise<string | undefined> {
  const [row] = await ex.select({ sharerId: shares.sharerId }).from(shares).where(eq(shares.id, shareId));
  return row?.sharerId;
}

export async function findActiveSeat(ex: Executor, groupId: string, userId: string) {
  const [row] = await ex
    .select({ id: groupBuyMembers.id })
    .from(groupBuyMembers)
    .where(and(eq(groupBuyMembers.groupId, groupId), eq(groupBuyMembers.userId, userId), isNull(groupBuyMembers.releasedAt)));
  return row;
}

export async function markOpen(ex: Executor, groupId: string, openedAt: Date, expiresAt: Date): Promise<GroupRow> {
  const [row] = await ex
    .update(groupBuys)
    .set({ status: 'open', openedAt, expiresAt })
    .where(and(eq(groupBuys.id, groupId), eq(groupBuys.status, 'pending')))
    .returning();
  return row!;
}

export async function markClosed(ex: Executor, groupId: string, status: 'succeeded' | 'failed', at: Date): Promise<void> {
  await ex.update(groupBuys).set({ status, closedAt: at }).where(eq(groupBuys.id, groupId));
}

export interface SeatView {
  userId: string | null;
  nickname: string | null;
  avatarUrl: string | null;
  virtual: boolean;
  orderStatus: OrderStatus | null;
  joinedAt: Date;
}

/** The group's current seats in the order they were taken. */
export async function seatsOf(ex: Executor, groupId: string): Promise<SeatView[]> {
  return ex
    .select({
      userId: groupBuyMembers.userId,
      nickname: users.nickname,
      avatarUrl: users.avatarUrl,
      virtual: groupBuyMembers.virtual,
      orderStatus: orders.status,
      joinedAt: groupBuyMembers.joinedAt,
    })
    .from(groupBuyMembers)
    .leftJoin(users, eq(users.id, groupBuyMembers.userId))
    .leftJoin(orders, eq(orders.id, groupBuyMembers.orderId))
    .where(and(eq(groupBuyMembers.groupId, groupId), isNull(groupBuyMembers.releasedAt)))
    .orderBy(asc(groupBuyMembers.id));
}

/** Open groups of a product that still have a seat and time left, soonest to expire first. */
export async function listJoinableGroups(ex: Executor, productId: string, now: Date, limit: number) {
  return ex
    .select({
      id: groupBuys.id,
      groupSize: groupBuys.groupSize,
      seatsTaken: groupBuys.seatsTaken,
      expiresAt: groupBuys.expiresAt,
      opener: { id: users.id, nickname: users.nickname, avatarUrl: users.avatarUrl },
    })
    .from(groupBuys)
    .innerJoin(users, eq(users.id, groupBuys.openerId))
    .where(
      and(
        eq(groupBuys.productId, productId),
        eq(groupBuys.status, 'open'),
        gt(groupBuys.expiresAt, now),
        sql`${groupBuys.seatsTaken} < ${groupBuys.groupSize}`,
      ),
    )
    .orderBy(asc(groupBuys.expiresAt))
    .limit(limit);
}

/**
 * The next group buy whose window (or, while pending, whose opener's payment deadline) is over.
 * SKIP LOCKED lets every instance's job sweep at once, each closing different groups.
 */
export async function claimExpiredGroup(ex: Executor, now: Date): Promise<GroupRow | undefined> {
  const [row] = await ex
    .select()
    .from(groupBuys)
    .where(and(inArray(groupBuys.status, ['pending', 'open']), lte(groupBuys.expiresAt, now)))
    .orderBy(asc(groupBuys.expiresAt))
    .limit(1)
    .for('update', { skipLocked: true });
  return row;
}

/** The next open group holding a seat whose order was not paid in time. */
export async function claimGroupWithOverdueOrder(ex: Executor, now: Date): Promise<GroupRow | undefined> {
  const [row] = await ex
    .select()
    .from(groupBuys)
    .where(
      and(
        eq(groupBuys.status, 'open'),
        sql`exists (select 1 from ${orders} where ${orders.groupId} = ${groupBuys.id}
                    and ${orders.status} = 'pending_payment' and ${orders.payDeadline} <= ${now})`,
      ),
    )
    .limit(1)
    .for('update', { skipLocked: true });
  return row;
}

// ——— orders ———

export async function insertOrder(
  ex: Executor,
  v: { userId: string; productId: string; groupId: string; campaignId: string; shareId: string | null; amount: number; payDeadline: Date; at: Date },
): Promise<OrderRow> {
  const { at, ...values } = v;
  const [row] = await ex.insert(orders).values({ ...values, createdAt: at, updatedAt: at }).returning();
  await ex.insert(orderTransitions).values({ orderId: row!.id, fromStatus: null, toStatus: row!.status, reason: 'placed', at });
  return row!;
}

/** Orders of the product the user holds in one of `statuses` (read after the product lock, so exact). */
export async function countOrdersOf(ex: Executor, productId: string, userId: string, statuses: readonly OrderStatus[]): Promise<number> {
  const [row] = await ex
    .select({ n: count() })
    .from(orders)
    .where(and(eq(orders.productId, productId), eq(orders.userId, userId), inArray(orders.status, [...statuses])));
  return Number(row?.n ?? 0);
}

export async function findOrder(ex: Executor, id: string): Promise<OrderRow | undefined> {
  const [row] = await ex.select().from(orders).where(eq(orders.id, id));
  return row;
}

export async function lockOrder(ex: Executor, id: string): Promise<OrderRow | undefined> {
  const [row] = await ex.select().from(orders).where(eq(orders.id, id)).for('update');
  return row;
}

export async function ordersOfGroup(ex: Executor, groupId: string): Promise<OrderRow[]> {
  return ex.select().from(orders).where(eq(orders.groupId, groupId)).orderBy(asc(orders.createdAt));
}

/**
 * Moves orders from one state to another and appends each move to the transitions, in the
 * caller's transaction. Only orders still in `from` move (compare-and-set); their ids come back.
 */
export async function transitionOrders(
  ex: Executor,
  v: { orderIds: string[]; from: OrderStatus; to: OrderStatus; reason: string; at: Date },
): Promise<string[]> {
  if (v.orderIds.length === 0) return [];
  const moved = await ex
    .update(orders)
    .set({ status: v.to, updatedAt: v.at })
    .where(and(inArray(orders.id, v.orderIds), eq(orders.status, v.from)))
    .returning({ id: orders.id });
  if (moved.length === 0) return [];
  await ex
    .insert(orderTransitions)
    .values(moved.map((m) => ({ orderId: m.id, fromStatus: v.from, toStatus: v.to, reason: v.reason, at: v.at })));
  return moved.map((m) => m.id);
}

export async function transitionsOf(ex: Executor, orderId: string) {
  return ex.select().from(orderTransitions).where(eq(orderTransitions.orderId, orderId)).orderBy(asc(orderTransitions.id));
}

export async function countPaidOrders(ex: Executor, groupId: string): Promise<number> {
  const [row] = await ex
    .select({ n: count() })
    .from(orders)
    .where(and(eq(orders.groupId, groupId), eq(orders.status, 'paid')));
  return Number(row?.n ?? 0);
}

export interface OrderView extends OrderRow {
  productTitle: string;
  refundStatus: RefundStatus | null;
  refundAttempts: number | null;
}

// The refund an order shows: a stuck one first, then one in progress, then the latest that succeeded.
const shownRefund = (column: 'status' | 'attempts') =>
  sql.raw(`(select r.${column} from refund_requests r where r.order_id = "orders"."id"
            order by case r.status when 'stuck' then 0 when 'pending' then 1 else 2 end, r.created_at desc limit 1)`);

/** Orders with what their views need, newest first: a user's, or one user's in one group, or one order. */
export async function orderViews(ex: Executor, q: { userId?: string; groupId?: string; orderId?: string; limit: number }): Promise<OrderView[]> {
  const found = await ex
    .select({
      order: orders,
      productTitle: products.title,
      refundStatus: sql<RefundStatus | null>`${shownRefund('status')}`,
      refundAttempts: sql<number | null>`${shownRefund('attempts')}`,
    })
    .from(orders)
    .innerJoin(products, eq(products.id, orders.productId))
    .where(
      and(
        q.userId ? eq(orders.userId, q.userId) : undefined,
        q.groupId ? eq(orders.groupId, q.groupId) : undefined,
        q.orderId ? eq(orders.id, q.orderId) : undefined,
      ),
    )
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(q.limit);
  return found.map((r) => ({ ...r.order, productTitle: r.productTitle, refundStatus: r.refundStatus, refundAttempts: r.refundAttempts }));
}

// ——— payments and refunds ———

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

export async function addRefundedAmount(ex: Executor, orderId: string, amount: number, at: Date): Promise<void> {
  await ex
    .update(orders)
    .set({ refundedAmount: sql`${orders.refundedAmount} + ${amount}`, updatedAt: at })
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

// ——— notifications ———

export async function insertNotifications(ex: Executor, notices: GroupNotice[], at: Date): Promise<void> {
  if (notices.length === 0) return;
  await ex
    .insert(notifications)
    .values(notices.map((n) => ({ ...n, createdAt: at })))
    .onConflictDoNothing();
}

export async function notificationsOf(ex: Executor, userId: string, limit: number) {
  return ex
    .select()
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.id))
    .limit(limit);
}

// ——— books ———

export interface GroupBuyDrift {
  kind: 'order_paid' | 'order_refunded' | 'group_seats';
  id: string;
  kept: number;
  actual: number;
}

/**
 * Every kept total that differs from the rows it sums: an order's paid and refunded amounts
 * against its payments and refunds, and a group's seat count against its seats. Empty when the books agree.
 */
export async function findDrift(ex: Executor, opts: { campaignId?: string } = {}): Promise<GroupBuyDrift[]> {
  // One campaign's orders and groups (the operators' ledger audit), or all of them (pnpm verify-ledger).
  const orderIn = opts.campaignId ? sql`and o.campaign_id = ${opts.campaignId}` : sql``;
  const groupIn = opts.campaignId ? sql`and g.campaign_id = ${opts.campaignId}` : sql``;
  const found = await rows<{ kind: GroupBuyDrift['kind']; id: string; kept: number; actual: number }>(
    ex,
    sql`
      select 'order_paid' as kind, o.id::text as id, o.paid_amount as kept, coalesce(p.total, 0) as actual
      from orders o left join lateral (select sum(amount) as total from payments where order_id = o.id) p on true
      where o.paid_amount <> coalesce(p.total, 0) ${orderIn}
      union all
      select 'order_refunded', o.id::text, o.refunded_amount, coalesce(r.total, 0)
      from orders o left join lateral (select sum(amount) as total from refunds where order_id = o.id) r on true
      where o.refunded_amount <> coalesce(r.total, 0) ${orderIn}
      union all
      select 'group_seats', g.id::text, g.seats_taken, coalesce(m.n, 0)
      from group_buys g
      left join lateral (select count(*) as n from group_buy_members where group_id = g.id and released_at is null) m on true
      where g.seats_taken <> coalesce(m.n, 0) ${groupIn}`,
  );
  return found.map((r) => ({ kind: r.kind, id: r.id, kept: Number(r.kept), actual: Number(r.actual) }));
}

export async function updateProduct(ex: Executor, id: string, patch: Partial<NewProduct>): Promise<ProductRow | undefined> {
  const [row] = await ex.update(products).set(patch).where(eq(products.id, id)).returning();
  return row;
}

/**
 * Moves stock by `delta` in one guarded statement: a removal larger than what is left matches no
 * row instead of going negative, even while placements take units at the same moment.
 */
export async function adjustStock(ex: Executor, id: string, delta: number): Promise<ProductRow | undefined> {
  const [row] = await ex
    .update(products)
    .set({ stock: sql`${products.stock} + ${delta}` })
    .where(and(eq(products.id, id), sql`${products.stock} + ${delta} >= 0`))
    .returning();
  return row;
}
