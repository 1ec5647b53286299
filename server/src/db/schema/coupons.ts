import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { campaigns } from './campaigns.js';
import { createdAt, instant, uuidPk } from './columns.js';
import { orders } from './groupbuy.js';
import { users } from './users.js';

const COUPON_STATUSES = ['available', 'redeemed', 'expired'] as const;
const COUPON_EVENTS = ['issued', 'redeemed', 'returned', 'expired'] as const;

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

/**
 * A coupon a user claimed on a coupon tier of a campaign's ladder: `amountOff` fen off one
 * group-buy order of that campaign's products whose price is at least `minSpend`, until
 * `expiresAt`. `status` and `orderId` are the one kept state (what the redemption guard updates);
 * every change of it appends a `coupon_ledger` row in the same transaction.
 */
export const coupons = pgTable(
  'coupons',
  {
    id: uuidPk(),
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id),
    userId: uuid('user_id').notNull().references(() => users.id),
    /** The 1-based rung of the ladder it was claimed on. */
    tier: integer('tier').notNull(),
    amountOff: integer('amount_off').notNull(),
    minSpend: integer('min_spend').notNull(),
    expiresAt: instant('expires_at').notNull(),
    status: text('status', { enum: COUPON_STATUSES }).notNull().default('available'),
    /** The order it is redeemed on, while `redeemed`. */
    orderId: uuid('order_id').references(() => orders.id),
    ...createdAt,
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('coupons_status_check', sql`${t.status} in (${inList(COUPON_STATUSES)})`),
    check('coupons_amounts_check', sql`${t.amountOff} > 0 and ${t.minSpend} >= 0`),
    check('coupons_order_check', sql`(${t.status} = 'redeemed') = (${t.orderId} is not null)`),
    // One claim per user per rung, like a tier red packet.
    uniqueIndex('coupons_one_per_tier').on(t.campaignId, t.userId, t.tier),
    // A coupon is on at most one order, and an order carries at most one coupon.
    uniqueIndex('coupons_order_key').on(t.orderId),
    index('coupons_user_idx').on(t.userId, t.createdAt),
    index('coupons_due_idx').on(t.expiresAt).where(sql`${t.status} = 'available'`),
  ],
);

/**
 * The coupons' history (append-only, a trigger refuses edits): `issued` with the face value,
 * `redeemed` with the discount the order got (the budget is debited by it in the same
 * transaction), `returned` with that discount given back to the budget when the order is
 * cancelled or refunded, `expired` with the face value that will never be spent.
 * `budgetDelta` is what the row moved the campaign's red-packet budget by (negative: spent).
 */
export const couponLedger = pgTable(
  'coupon_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    couponId: uuid('coupon_id')
      .notNull()
      .references(() => coupons.id),
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id),
    event: text('event', { enum: COUPON_EVENTS }).notNull(),
    orderId: uuid('order_id').references(() => orders.id),
    amount: integer('amount').notNull(),
    budgetDelta: integer('budget_delta').notNull(),
    reason: text('reason').notNull(),
    ...createdAt,
  },
  (t) => [
    check('coupon_ledger_event_check', sql`${t.event} in (${inList(COUPON_EVENTS)})`),
    check(
      'coupon_ledger_amounts_check',
      sql`${t.amount} > 0 and case ${t.event}
        when 'redeemed' then ${t.budgetDelta} = -${t.amount} and ${t.orderId} is not null
        when 'returned' then ${t.budgetDelta} = ${t.amount} and ${t.orderId} is not null
        else ${t.budgetDelta} = 0 end`,
    ),
    uniqueIndex('coupon_ledger_issued_once').on(t.couponId).where(sql`event = 'issued'`),
    uniqueIndex('coupon_ledger_expired_once').on(t.couponId).where(sql`event = 'expired'`),
    // Each order redeems a coupon once and gives it back at most once.
    uniqueIndex('coupon_ledger_order_event').on(t.orderId, t.event).where(sql`order_id is not null`),
    index('coupon_ledger_coupon_idx').on(t.couponId, t.id),
    index('coupon_ledger_campaign_idx').on(t.campaignId, t.event),
  ],
);
