import type { OrderStatus } from '@jizan/shared';
import { and, asc, eq, gt, inArray, isNull, lte, notInArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { groupBuyMembers, groupBuys, orders, users } from '../../db/schema/index.js';

export type GroupRow = typeof groupBuys.$inferSelect;

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
/** `skip`: groups this run already put back (their platform could not answer). */
export async function claimExpiredGroup(ex: Executor, now: Date, skip: readonly string[] = []): Promise<GroupRow | undefined> {
  const [row] = await ex
    .select()
    .from(groupBuys)
    .where(and(inArray(groupBuys.status, ['pending', 'open']), lte(groupBuys.expiresAt, now), skip.length ? notInArray(groupBuys.id, [...skip]) : undefined))
    .orderBy(asc(groupBuys.expiresAt))
    .limit(1)
    .for('update', { skipLocked: true });
  return row;
}

/** The next open group holding a seat whose order was not paid in time. */
export async function claimGroupWithOverdueOrder(ex: Executor, now: Date, skip: readonly string[] = []): Promise<GroupRow | undefined> {
  const [row] = await ex
    .select()
    .from(groupBuys)
    .where(
      and(
        eq(groupBuys.status, 'open'),
        skip.length ? notInArray(groupBuys.id, [...skip]) : undefined,
        sql`exists (select 1 from ${orders} where ${orders.groupId} = ${groupBuys.id}
                    and ${orders.status} = 'pending_payment' and ${orders.payDeadline} <= ${now})`,
      ),
    )
    .limit(1)
    .for('update', { skipLocked: true });
  return row;
}
