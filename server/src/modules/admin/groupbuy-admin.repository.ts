import type { OrderStatus } from '@jizan/shared';
import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { orders, paymentAnomalies } from '../../db/schema/index.js';

export type AdminOrderRow = typeof orders.$inferSelect;
export type PaymentAnomalyRow = typeof paymentAnomalies.$inferSelect;

/** Orders newest first, filtered; `after` is the last row's (createdAt, id) of the previous page. */
export async function listOrders(
  ex: Executor,
  q: { campaignId?: string; status?: OrderStatus; userId?: string; after: { createdAt: Date; id: string } | null; limit: number },
): Promise<AdminOrderRow[]> {
  const where: (SQL | undefined)[] = [
    q.campaignId ? eq(orders.campaignId, q.campaignId) : undefined,
    q.status ? eq(orders.status, q.status) : undefined,
    q.userId ? eq(orders.userId, q.userId) : undefined,
  ];
  if (q.after) {
    where.push(or(lt(orders.createdAt, q.after.createdAt), and(eq(orders.createdAt, q.after.createdAt), lt(orders.id, q.after.id))));
  }
  return ex
    .select()
    .from(orders)
    .where(and(...where))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(q.limit);
}

/** Money we could not apply, newest first (ids only grow, so they order it). */
export async function listPaymentAnomalies(ex: Executor, q: { beforeId: number | null; limit: number }): Promise<PaymentAnomalyRow[]> {
  return ex
    .select()
    .from(paymentAnomalies)
    .where(q.beforeId === null ? undefined : lt(paymentAnomalies.id, q.beforeId))
    .orderBy(desc(paymentAnomalies.id))
    .limit(q.limit);
}
