import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';
import { couponLedger, coupons, products, redPacketBudgets } from '../../db/schema/index.js';
import { num } from '../../lib/num.js';

export type CouponRow = typeof coupons.$inferSelect;
type LedgerEvent = (typeof couponLedger.$inferInsert)['event'];

// ---- Coupons ----

/** The coupon of one rung for one user; undefined when that rung was claimed already (the unique index decides). */
export async function insertCoupon(
  ex: Executor,
  v: { campaignId: string; userId: string; tier: number; amountOff: number; minSpend: number; expiresAt: Date; at: Date },
): Promise<CouponRow | undefined> {
  const { at, ...values } = v;
  const [row] = await ex.insert(coupons).values({ ...values, createdAt: at, updatedAt: at }).onConflictDoNothing().returning();
  return row;
}

export async function findCoupon(ex: Executor, id: string): Promise<CouponRow | undefined> {
  const [row] = await ex.select().from(coupons).where(eq(coupons.id, id));
  return row;
}

export async function claimedCouponTiers(ex: Executor, campaignId: string, userId: string): Promise<number[]> {
  const found = await ex.select({ tier: coupons.tier }).from(coupons).where(and(eq(coupons.campaignId, campaignId), eq(coupons.userId, userId)));
  return found.map((r) => r.tier);
}

/** A user's coupons, newest first, optionally of one campaign. */
export async function couponsOf(ex: Executor, q: { userId: string; campaignId: string | null; limit: number }): Promise<CouponRow[]> {
  return ex
    .select()
    .from(coupons)
    .where(and(eq(coupons.userId, q.userId), q.campaignId ? eq(coupons.campaignId, q.campaignId) : undefined))
    .orderBy(desc(coupons.createdAt), desc(coupons.id))
    .limit(q.limit);
}

/**
 * The redemption guard: the coupon moves to `redeemed` on this order only if it is still the
 * buyer's, still `available` and not past its expiry. Concurrent redeemers queue on the row lock
 * and PostgreSQL re-checks the WHERE on the row as the winner committed it, so exactly one of them
 * gets a row back; the others see `redeemed` and get nothing.
 */
export async function redeem(ex: Executor, v: { couponId: string; userId: string; orderId: string; at: Date }): Promise<CouponRow | undefined> {
  const [row] = await ex
    .update(coupons)
    .set({ status: 'redeemed', orderId: v.orderId, updatedAt: v.at })
    .where(and(eq(coupons.id, v.couponId), eq(coupons.userId, v.userId), eq(coupons.status, 'available'), sql`${coupons.expiresAt} > ${v.at.toISOString()}::timestamptz`))
    .returning();
  return row;
}

/** The coupons redeemed on these orders, locked until the transaction ends (a give-back decides on them). */
export async function lockRedeemedOn(ex: Executor, orderIds: string[]): Promise<CouponRow[]> {
  if (orderIds.length === 0) return [];
  return ex
    .select()
    .from(coupons)
    .where(and(inArray(coupons.orderId, orderIds), eq(coupons.status, 'redeemed')))
    .orderBy(coupons.id)
    .for('update');
}

/**
 * Takes a coupon off its order, to `status`. Compare-and-set on `redeemed` and that order, so a
 * second give-back of the same order moves nothing; false then.
 */
export async function giveBack(ex: Executor, v: { couponId: string; orderId: string; status: 'available' | 'expired'; at: Date }): Promise<boolean> {
  const moved = await ex
    .update(coupons)
    .set({ status: v.status, orderId: null, updatedAt: v.at })
    .where(and(eq(coupons.id, v.couponId), eq(coupons.status, 'redeemed'), eq(coupons.orderId, v.orderId)))
    .returning({ id: coupons.id });
  return moved.length > 0;
}

/**
 * Up to `limit` available coupons past their expiry, moved to `expired`. SKIP LOCKED lets one
 * being redeemed right now (its row locked) finish first, and several job instances share the work.
 */
export async function expireDue(ex: Executor, v: { now: Date; limit: number }): Promise<CouponRow[]> {
  const at = v.now.toISOString();
  const moved = await rows<{ id: string }>(
    ex,
    sql`update coupons set status = 'expired', updated_at = ${at}::timestamptz
        where id in (select id from coupons where status = 'available' and expires_at <= ${at}::timestamptz
                     order by expires_at limit ${v.limit} for update skip locked)
        returning id`,
  );
  if (moved.length === 0) return [];
  return ex.select().from(coupons).where(inArray(coupons.id, moved.map((m) => m.id)));
}

// ---- The coupon ledger ----

export async function appendLedger(
  ex: Executor,
  entries: { couponId: string; campaignId: string; event: LedgerEvent; orderId: string | null; amount: number; budgetDelta: number; reason: string }[],
  at: Date,
): Promise<void> {
  if (entries.length === 0) return;
  await ex.insert(couponLedger).values(entries.map((e) => ({ ...e, createdAt: at })));
}

/** What each order's coupon took off it (the `redeemed` row's amount), for the orders still holding one. */
export async function redeemedDiscounts(ex: Executor, orderIds: string[]): Promise<Map<string, number>> {
  if (orderIds.length === 0) return new Map();
  const found = await ex
    .select({ orderId: couponLedger.orderId, amount: couponLedger.amount })
    .from(couponLedger)
    .where(and(inArray(couponLedger.orderId, orderIds), eq(couponLedger.event, 'redeemed')));
  return new Map(found.map((r) => [r.orderId!, r.amount]));
}

// ---- The red-packet budget ----
// The one write to another module's table: a redemption's discount and a give-back move the
// campaign's red-packet budget in the coupon's own transaction, as a claim's debit does. Coupons
// sit below red packets (a claim issues them), so they cannot call its service without a cycle.

/** Opens the campaign's budget at B on first use, as the first red-packet claim would. */
export async function ensureBudget(ex: Executor, campaignId: string, budget: number, at: Date): Promise<void> {
  await ex.insert(redPacketBudgets).values({ campaignId, budget, remaining: budget, createdAt: at }).onConflictDoNothing();
}

/** Takes `amount` from the budget if that much is left (the guard re-checked under the row lock); null otherwise. */
export async function debitBudget(ex: Executor, campaignId: string, amount: number): Promise<number | null> {
  const [row] = await ex
    .update(redPacketBudgets)
    .set({ remaining: sql`${redPacketBudgets.remaining} - ${amount}` })
    .where(and(eq(redPacketBudgets.campaignId, campaignId), sql`${redPacketBudgets.remaining} >= ${amount}`))
    .returning({ remaining: redPacketBudgets.remaining });
  return row ? row.remaining : null;
}

/** Gives `amount` back to the budget: only ever what a redemption took from it. */
export async function creditBudget(ex: Executor, campaignId: string, amount: number): Promise<void> {
  await ex
    .update(redPacketBudgets)
    .set({ remaining: sql`${redPacketBudgets.remaining} + ${amount}` })
    .where(eq(redPacketBudgets.campaignId, campaignId));
}

// ---- Reads across ----

/** The product a "usable here" list prices against: its campaign and group price. */
export async function productPrice(ex: Executor, productId: string): Promise<{ campaignId: string; groupPrice: number } | undefined> {
  const [row] = await ex.select({ campaignId: products.campaignId, groupPrice: products.groupPrice }).from(products).where(eq(products.id, productId));
  return row;
}

// ---- Verification ----

export interface CouponProblem {
  campaignId: string;
  problem: string;
}

/**
 * Every way a coupon and its ledger can disagree: no `issued` row (or one not worth the face value),
 * a status that is not what its latest event says (issued or returned: available; redeemed:
 * redeemed on that row's order; expired: expired), a `returned` row that is not the discount its
 * order's redemption took, and gives-back outnumbering redemptions. The budget side of the books
 * (the ledger's budget deltas in the budget equation) is checked with the red packets'.
 */
export async function findCouponProblems(ex: Executor, opts: { campaignId?: string } = {}): Promise<CouponProblem[]> {
  const only = opts.campaignId ? sql`and c.campaign_id = ${opts.campaignId}` : sql``;
  const found = await rows<{ campaign_id: string; problem: string }>(
    ex,
    sql`
      with last as (
        select distinct on (coupon_id) coupon_id, event, order_id from coupon_ledger order by coupon_id, id desc
      )
      select c.campaign_id::text, 'coupon ' || c.id || ' has no issued row worth its ' || c.amount_off || ' fen' as problem
      from coupons c
      where not exists (select 1 from coupon_ledger l where l.coupon_id = c.id and l.event = 'issued' and l.amount = c.amount_off) ${only}
      union all
      select c.campaign_id::text,
             'coupon ' || c.id || ' is ' || c.status || coalesce(' on order ' || c.order_id, '') ||
             ' but its ledger ends with ' || coalesce(l.event || coalesce(' on order ' || l.order_id, ''), 'nothing')
      from coupons c left join last l on l.coupon_id = c.id
      where (case l.event when 'issued' then 'available' when 'returned' then 'available' when 'redeemed' then 'redeemed' when 'expired' then 'expired' end)
              is distinct from c.status
         or (c.status = 'redeemed' and l.order_id is distinct from c.order_id)
         ${only}
      union all
      select c.campaign_id::text, 'coupon ' || c.id || ' gave back ' || r.amount || ' fen for order ' || r.order_id || ' which it took ' || coalesce(d.amount::text, 'nothing') || ' off'
      from coupon_ledger r join coupons c on c.id = r.coupon_id
      left join coupon_ledger d on d.order_id = r.order_id and d.event = 'redeemed' and d.coupon_id = r.coupon_id
      where r.event = 'returned' and d.amount is distinct from r.amount ${only}
      union all
      select c.campaign_id::text, 'coupon ' || c.id || ' was redeemed ' || count(*) filter (where l.event = 'redeemed') ||
             ' time(s) and given back ' || count(*) filter (where l.event = 'returned')
      from coupons c join coupon_ledger l on l.coupon_id = c.id
      where true ${only}
      group by c.id, c.campaign_id
      having count(*) filter (where l.event = 'returned') > count(*) filter (where l.event = 'redeemed')
          or count(*) filter (where l.event = 'redeemed') > count(*) filter (where l.event = 'returned') + 1
      union all
      select l.campaign_id::text, 'coupon ledger row ' || l.id || ' names campaign ' || l.campaign_id || ' but its coupon is of ' || c.campaign_id
      from coupon_ledger l join coupons c on c.id = l.coupon_id
      where l.campaign_id <> c.campaign_id ${only}`,
  );
  return found.map((r) => ({ campaignId: r.campaign_id, problem: r.problem }));
}

// ---- Operators' reads ----

/** A campaign's coupons as operators count them: issued (face value), on an order now (discounts), expired, and the GMV of the paid orders holding one. */
export async function campaignCouponCounts(ex: Executor, campaignId: string) {
  const [row] = await rows<Record<string, unknown>>(
    ex,
    sql`select count(*) as issued,
               coalesce(sum(c.amount_off), 0) as issued_value,
               count(*) filter (where c.status = 'redeemed') as redeemed,
               count(*) filter (where c.status = 'expired') as expired,
               (select coalesce(-sum(budget_delta), 0) from coupon_ledger where campaign_id = ${campaignId}) as redeemed_value,
               (select coalesce(sum(o.amount), 0) from coupons c2 join orders o on o.id = c2.order_id
                 where c2.campaign_id = ${campaignId} and o.status in ('paid', 'grouped')) as gmv
        from coupons c where c.campaign_id = ${campaignId}`,
  );
  const r = row ?? {};
  return {
    issued: num(r.issued),
    issuedValue: num(r.issued_value),
    redeemed: num(r.redeemed),
    redeemedValue: num(r.redeemed_value),
    expired: num(r.expired),
    gmv: num(r.gmv),
  };
}
