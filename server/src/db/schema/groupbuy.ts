import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { NOTIFICATION_KINDS, type GroupStatus, type OrderStatus, type RefundStatus } from '@jizan/shared';
import { createdAt, instant, uuidPk } from './columns.js';
import { campaigns } from './campaigns.js';
import { shares } from './shares.js';
import { users } from './users.js';

// The status lists are the shared contract's unions, spelled as tuples drizzle can type columns with.
const ORDER_STATUSES = ['pending_payment', 'paid', 'grouped', 'refunding', 'refunded', 'cancelled'] as const satisfies readonly OrderStatus[];
const GROUP_STATUSES = ['pending', 'open', 'succeeded', 'failed'] as const satisfies readonly GroupStatus[];
const REFUND_STATUSES = ['pending', 'succeeded', 'stuck'] as const satisfies readonly RefundStatus[];
const REFUND_REASONS = ['group_failed', 'after_sale', 'late_payment', 'duplicate_payment'] as const;

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

/** A product sold by group buy inside a campaign; prices are integer fen. */
export const products = pgTable(
  'products',
  {
    id: uuidPk(),
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id),
    title: text('title').notNull(),
    images: text('images').array().notNull().default(sql`'{}'::text[]`),
    price: integer('price').notNull(),
    groupPrice: integer('group_price').notNull(),
    groupSize: integer('group_size').notNull(),
    groupWindowSeconds: integer('group_window_seconds').notNull().default(24 * 3600),
    /** Units not yet reserved by an order; the reservation guard never lets it go below zero. */
    stock: integer('stock').notNull(),
    perUserLimit: integer('per_user_limit').notNull().default(1),
    /** 模拟成团: at expiry, with at least `virtualFillMinReal` paid real members, empty seats are filled. */
    virtualFill: boolean('virtual_fill').notNull().default(false),
    virtualFillMinReal: integer('virtual_fill_min_real').notNull().default(1),
    ...createdAt,
  },
  (t) => [
    check('products_price_check', sql`${t.price} > 0`),
    check('products_group_price_check', sql`${t.groupPrice} > 0 and ${t.groupPrice} <= ${t.price}`),
    check('products_group_size_check', sql`${t.groupSize} between 2 and 10`),
    check('products_group_window_check', sql`${t.groupWindowSeconds} > 0`),
    check('products_stock_check', sql`${t.stock} >= 0`),
    check('products_per_user_limit_check', sql`${t.perUserLimit} >= 1`),
    check('products_virtual_fill_min_real_check', sql`${t.virtualFillMinReal} >= 1 and ${t.virtualFillMinReal} < ${t.groupSize}`),
    index('products_campaign_idx').on(t.campaignId, t.createdAt),
  ],
);

/**
 * A group buy (拼团): opened by a paid order, succeeds when its N-th seat is paid, fails when its
 * window ends first. `seatsTaken` counts held seats (paid or awaiting payment, plus virtual ones).
 */
export const groupBuys = pgTable(
  'group_buys',
  {
    id: uuidPk(),
    productId: uuid('product_id').notNull().references(() => products.id),
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id),
    openerId: uuid('opener_id').notNull().references(() => users.id),
    /** The product's group size when the group was placed: later product edits do not move it. */
    groupSize: integer('group_size').notNull(),
    status: text('status', { enum: GROUP_STATUSES }).notNull().default('pending'),
    seatsTaken: integer('seats_taken').notNull().default(0),
    expiresAt: instant('expires_at').notNull(),
    openedAt: instant('opened_at'),
    closedAt: instant('closed_at'),
    ...createdAt,
  },
  (t) => [
    check('group_buys_status_check', sql`${t.status} in (${inList(GROUP_STATUSES)})`),
    check('group_buys_group_size_check', sql`${t.groupSize} between 2 and 10`),
    check('group_buys_seats_check', sql`${t.seatsTaken} between 0 and ${t.groupSize}`),
    check('group_buys_closed_check', sql`(${t.status} in ('succeeded', 'failed')) = (${t.closedAt} is not null)`),
    check('group_buys_opened_check', sql`${t.status} not in ('open', 'succeeded') or ${t.openedAt} is not null`),
    index('group_buys_product_open_idx').on(t.productId, t.expiresAt).where(sql`${t.status} = 'open'`),
    index('group_buys_due_idx').on(t.expiresAt).where(sql`${t.status} in ('pending', 'open')`),
  ],
);

export const orders = pgTable(
  'orders',
  {
    id: uuidPk(),
    userId: uuid('user_id').notNull().references(() => users.id),
    productId: uuid('product_id').notNull().references(() => products.id),
    groupId: uuid('group_id').notNull().references(() => groupBuys.id),
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id),
    /** The card the buyer joined through, if any: whom a join credits (set by the share flow). */
    shareId: uuid('share_id').references(() => shares.id),
    amount: integer('amount').notNull(),
    status: text('status', { enum: ORDER_STATUSES }).notNull().default('pending_payment'),
    payDeadline: instant('pay_deadline').notNull(),
    /** Kept equal to the sum of the order's payments, in the same transaction as each payment row. */
    paidAmount: integer('paid_amount').notNull().default(0),
    /** Kept equal to the sum of the order's refunds, in the same transaction as each refund row. */
    refundedAmount: integer('refunded_amount').notNull().default(0),
    /** When the payment query job last asked the platform about this unpaid order (a notification may never come). */
    paymentCheckedAt: instant('payment_checked_at'),
    ...createdAt,
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('orders_status_check', sql`${t.status} in (${inList(ORDER_STATUSES)})`),
    check('orders_amount_check', sql`${t.amount} > 0`),
    check('orders_money_check', sql`${t.paidAmount} >= 0 and ${t.refundedAmount} between 0 and ${t.paidAmount}`),
    index('orders_user_idx').on(t.userId, t.createdAt),
    index('orders_group_idx').on(t.groupId),
    index('orders_product_user_idx').on(t.productId, t.userId),
    index('orders_unpaid_idx').on(t.payDeadline).where(sql`${t.status} = 'pending_payment'`),
    // The payment query job's sweep: unpaid orders, least recently asked about first.
    index('orders_unpaid_checked_idx').on(t.paymentCheckedAt.asc().nullsFirst(), t.createdAt).where(sql`${t.status} = 'pending_payment'`),
  ],
);

const ANOMALY_KINDS = ['unknown_order', 'amount_mismatch', 'payer_mismatch'] as const;

/**
 * What the platform said was paid that we could not apply: money for an order we do not know, of
 * another amount, or from another payer than the order's. Never marks anything paid; kept
 * (append-only, once per transaction and kind) for operators and the reconciliation.
 */
export const paymentAnomalies = pgTable(
  'payment_anomalies',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    provider: text('provider').notNull(),
    kind: text('kind', { enum: ANOMALY_KINDS }).notNull(),
    outTradeNo: text('out_trade_no').notNull(),
    transactionId: text('transaction_id').notNull(),
    /** Null for an order we do not know. */
    orderId: uuid('order_id').references(() => orders.id),
    amount: integer('amount').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    ...createdAt,
  },
  (t) => [
    check('payment_anomalies_kind_check', sql`${t.kind} in (${inList(ANOMALY_KINDS)})`),
    uniqueIndex('payment_anomalies_key').on(t.provider, t.transactionId, t.kind),
    index('payment_anomalies_created_idx').on(t.createdAt),
  ],
);

/** Every order state change, appended in the transaction that made it (a trigger refuses edits). */
export const orderTransitions = pgTable(
  'order_transitions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderId: uuid('order_id').notNull().references(() => orders.id),
    /** Null for the order's placement. */
    fromStatus: text('from_status', { enum: ORDER_STATUSES }),
    toStatus: text('to_status', { enum: ORDER_STATUSES }).notNull(),
    reason: text('reason').notNull(),
    at: instant('at').notNull(),
  },
  (t) => [index('order_transitions_order_idx').on(t.orderId, t.id)],
);

/**
 * A seat in a group buy. Real seats hold a user and their order; virtual seats (模拟成团) hold
 * neither. A seat given up (unpaid in time, refunded after sale) keeps its row with `releasedAt`.
 */
export const groupBuyMembers = pgTable(
  'group_buy_members',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    groupId: uuid('group_id').notNull().references(() => groupBuys.id),
    userId: uuid('user_id').references(() => users.id),
    orderId: uuid('order_id').references(() => orders.id),
    virtual: boolean('virtual').notNull().default(false),
    joinedAt: instant('joined_at').notNull(),
    releasedAt: instant('released_at'),
  },
  (t) => [
    check('group_buy_members_virtual_check', sql`${t.virtual} = (${t.userId} is null) and ${t.virtual} = (${t.orderId} is null)`),
    uniqueIndex('group_buy_members_one_seat_per_user').on(t.groupId, t.userId).where(sql`${t.releasedAt} is null`),
    uniqueIndex('group_buy_members_order_key').on(t.orderId),
    index('group_buy_members_group_idx').on(t.groupId, t.id),
  ],
);

/** Money received (append-only). One provider transaction is one row, however often it is notified. */
export const payments = pgTable(
  'payments',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderId: uuid('order_id').notNull().references(() => orders.id),
    amount: integer('amount').notNull(),
    provider: text('provider').notNull(),
    transactionId: text('transaction_id').notNull(),
    paidAt: instant('paid_at').notNull(),
    ...createdAt,
  },
  (t) => [
    check('payments_amount_check', sql`${t.amount} > 0`),
    uniqueIndex('payments_transaction_key').on(t.provider, t.transactionId),
    index('payments_order_idx').on(t.orderId),
  ],
);

/**
 * Giving one payment back: a state machine with retries. The unique payment makes "refunded exactly
 * once" a database rule; `stuck` is where a refund that kept failing waits, visible, for an operator.
 */
export const refundRequests = pgTable(
  'refund_requests',
  {
    /** Also the provider's refund number, so a retried request can never refund twice. */
    id: uuidPk(),
    orderId: uuid('order_id').notNull().references(() => orders.id),
    paymentId: bigint('payment_id', { mode: 'number' }).notNull().references(() => payments.id),
    amount: integer('amount').notNull(),
    reason: text('reason', { enum: REFUND_REASONS }).notNull(),
    status: text('status', { enum: REFUND_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: instant('next_attempt_at').notNull(),
    lastError: text('last_error'),
    ...createdAt,
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('refund_requests_amount_check', sql`${t.amount} > 0`),
    check('refund_requests_status_check', sql`${t.status} in (${inList(REFUND_STATUSES)})`),
    check('refund_requests_attempts_check', sql`${t.attempts} >= 0`),
    uniqueIndex('refund_requests_payment_key').on(t.paymentId),
    index('refund_requests_order_idx').on(t.orderId),
    index('refund_requests_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
  ],
);

/** Money given back (append-only): written when the provider confirms, once per refund request. */
export const refunds = pgTable(
  'refunds',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    refundRequestId: uuid('refund_request_id').notNull().references(() => refundRequests.id),
    orderId: uuid('order_id').notNull().references(() => orders.id),
    amount: integer('amount').notNull(),
    providerRefundId: text('provider_refund_id').notNull(),
    ...createdAt,
  },
  (t) => [
    check('refunds_amount_check', sql`${t.amount} > 0`),
    uniqueIndex('refunds_request_key').on(t.refundRequestId),
    index('refunds_order_idx').on(t.orderId),
  ],
);

/**
 * The notifier's outbox: one message per member per group outcome (the unique index makes a
 * repeated close unable to message anyone twice). The dev notifier's delivery is this row.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: uuid('user_id').notNull().references(() => users.id),
    kind: text('kind', { enum: NOTIFICATION_KINDS }).notNull(),
    /** The group the message is about; null for messages about likes, rewards or campaigns. */
    groupId: uuid('group_id').references(() => groupBuys.id),
    /** What makes a message not about a group unique (a like batch, a reward, a campaign). */
    dedupeKey: text('dedupe_key'),
    title: text('title').notNull(),
    payload: jsonb('payload').notNull().default({}),
    /**
     * pending: the sender has not settled it (rows without a template_key are older than the sender
     * and stay in the inbox); sent: the platform took it; refused: the platform refused it for good
     * (43101 the user refused, 47003…); inbox: kept in the app only (no credit, no template); failed:
     * given up after retries (the platform unreachable or busy each time).
     */
    delivery: text('delivery', { enum: ['pending', 'sent', 'refused', 'inbox', 'failed'] }).notNull().default('pending'),
    deliveryAttempts: integer('delivery_attempts').notNull().default(0),
    /** When the sender may next try it (backoff); null once settled. */
    nextDeliveryAt: instant('next_delivery_at'),
    /** A sender's claim: no other instance takes the message before this passes. */
    claimedUntil: instant('claimed_until'),
    deliveredAt: instant('delivered_at'),
    /** The platform's errcode/errmsg of the last refusal. */
    deliveryError: text('delivery_error'),
    templateKey: text('template_key'),
    /**
     * The sender took one of the user's credits for this message (in the transaction that set
     * this): a retry after a lost answer or a crash sends on it without taking another, and a
     * message given up or refused for our own fault gives it back.
     */
    creditHeld: boolean('credit_held').notNull().default(false),
    readAt: instant('read_at'),
    ...createdAt,
  },
  (t) => [
    uniqueIndex('notifications_once_key').on(t.userId, t.groupId, t.kind),
    uniqueIndex('notifications_dedupe_key').on(t.userId, t.kind, t.dedupeKey),
    index('notifications_user_idx').on(t.userId, t.id),
    index('notifications_pending_idx').on(t.nextDeliveryAt).where(sql`${t.delivery} = 'pending'`),
  ],
);
