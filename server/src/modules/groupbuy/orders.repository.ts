import type { OrderStatus, RefundStatus } from '@jizan/shared';
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { orderTransitions, orders, products, shares } from '../../db/schema/index.js';
import { num } from '../../lib/num.js';

export type OrderRow = typeof orders.$inferSelect;

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
  return num(row?.n);
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
  return num(row?.n);
}

export interface OrderView extends OrderRow {
  productTitle: string;
  /** What its coupon took off the group price (the coupon ledger's `redeemed` row); null without one. */
  couponDiscount: number | null;
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
      couponDiscount: sql<number | null>`(select cl.amount from coupon_ledger cl where cl.order_id = "orders"."id" and cl.event = 'redeemed')`,
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
  return found.map((r) => ({ ...r.order, productTitle: r.productTitle, refundStatus: r.refundStatus, refundAttempts: r.refundAttempts, couponDiscount: r.couponDiscount === null ? null : Number(r.couponDiscount) }));
}

/** Who sent the card an order was placed through (a read across to the shares table). */
export async function sharerOfShare(ex: Executor, shareId: string): Promise<string | undefined> {
  const [row] = await ex.select({ sharerId: shares.sharerId }).from(shares).where(eq(shares.id, shareId));
  return row?.sharerId;
}
