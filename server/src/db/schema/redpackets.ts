import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { campaigns } from './campaigns.js';
import { createdAt, instant, uuidPk } from './columns.js';
import { teams } from './teams.js';
import { users } from './users.js';

/**
 * What is left of a campaign's red-packet budget B. Every red packet is paid out of it by
 * `UPDATE … SET remaining = remaining - amount WHERE remaining >= amount` in the same
 * transaction that writes the red packet, so `remaining = budget - sum(red_packets.amount)`
 * always holds and no interleaving of claims and settlement ever pays more than B.
 */
export const redPacketBudgets = pgTable(
  'red_packet_budgets',
  {
    campaignId: uuid('campaign_id').primaryKey().references(() => campaigns.id),
    /** B as the campaign's rules stated it when the first red packet was paid. */
    budget: bigint('budget', { mode: 'number' }).notNull(),
    remaining: bigint('remaining', { mode: 'number' }).notNull(),
    ...createdAt,
  },
  (t) => [check('red_packet_budgets_remaining_check', sql`${t.remaining} >= 0 and ${t.remaining} <= ${t.budget}`)],
);

/**
 * A campaign's prize-pool settlement, written once (with all its pool red packets, in one
 * transaction) after the campaign ended. Append-only.
 */
export const redPacketSettlements = pgTable(
  'red_packet_settlements',
  {
    id: uuidPk(),
    campaignId: uuid('campaign_id').notNull().unique().references(() => campaigns.id),
    /** P as the rules stated it. */
    poolRule: bigint('pool_rule', { mode: 'number' }).notNull(),
    /** min(P, what the budget had left): what could be split. */
    pool: bigint('pool', { mode: 'number' }).notNull(),
    /** What was split: the pool, or 0 when no team qualified (the money stays in the budget). */
    paid: bigint('paid', { mode: 'number' }).notNull(),
    /** Teams that shared the pool and their energy, as the ledger said at settlement. */
    teams: integer('teams').notNull(),
    energy: bigint('energy', { mode: 'number' }).notNull(),
    ...createdAt,
  },
  (t) => [check('red_packet_settlements_amounts_check', sql`0 <= ${t.paid} and ${t.paid} <= ${t.pool} and ${t.pool} <= ${t.poolRule}`)],
);

/**
 * Every red packet a user was awarded: a tier claim or a share of the prize pool. Append-only;
 * their sum per campaign is what the campaign paid out. Delivery is recorded apart, as attempts.
 */
export const redPackets = pgTable(
  'red_packets',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The payout provider's idempotency key, unique across every environment's red packets. */
    payoutId: uuid('payout_id').notNull().unique().defaultRandom(),
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id),
    userId: uuid('user_id').notNull().references(() => users.id),
    kind: text('kind', { enum: ['tier', 'pool'] }).notNull(),
    /** 1-based rung of the ladder, for a tier red packet. */
    tier: integer('tier'),
    /** The energy behind it: the tier's threshold, or the member's contribution for a pool share. */
    energy: bigint('energy', { mode: 'number' }).notNull(),
    /** The settlement and team a pool share came from. */
    settlementId: uuid('settlement_id').references(() => redPacketSettlements.id),
    teamId: uuid('team_id').references(() => teams.id),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    /**
     * No cash leaves before this (JIZAN_REWARD_HOLD_MINUTES after the award): the fraud checks run
     * on the holder and on the likes behind it first. Null for red packets awarded before the hold.
     */
    holdUntil: instant('hold_until'),
    ...createdAt,
  },
  (t) => [
    index('red_packets_hold_idx').on(t.holdUntil, t.id),
    uniqueIndex('red_packets_one_per_tier').on(t.campaignId, t.userId, t.tier).where(sql`kind = 'tier'`),
    uniqueIndex('red_packets_one_pool_share').on(t.campaignId, t.userId).where(sql`kind = 'pool'`),
    index('red_packets_user_idx').on(t.userId, t.id),
    index('red_packets_campaign_idx').on(t.campaignId, t.id),
    check('red_packets_amount_check', sql`${t.amount} > 0`),
    check(
      'red_packets_kind_check',
      sql`(kind = 'tier' and tier is not null and settlement_id is null)
       or (kind = 'pool' and tier is null and settlement_id is not null and team_id is not null)`,
    ),
  ],
);

/**
 * One row per attempt to pay a red packet through the payout provider. Append-only: a red
 * packet is delivered once it has a `succeeded` row; `stuck` means no more automatic retries.
 */
export const redPacketPayoutAttempts = pgTable(
  'red_packet_payout_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    redPacketId: bigint('red_packet_id', { mode: 'number' })
      .notNull()
      .references(() => redPackets.id),
    status: text('status', { enum: ['succeeded', 'failed', 'stuck'] }).notNull(),
    provider: text('provider').notNull(),
    /** The provider's transfer reference, on success. */
    reference: text('reference'),
    /** Why it failed, as the provider said it. */
    reason: text('reason'),
    ...createdAt,
  },
  (t) => [
    index('red_packet_payout_attempts_packet_idx').on(t.redPacketId, t.status),
    // A second success would mean the provider was asked to pay twice and we believed it twice.
    uniqueIndex('red_packet_payout_attempts_one_success').on(t.redPacketId).where(sql`status = 'succeeded'`),
  ],
);

/**
 * What the review of a held red packet decided, append-only: `cleared` (the checks found nothing,
 * cash may go), `flagged` (it waits for an operator, with the flags that stopped it), then an
 * operator's `released` or `voided`. One row per decision and red packet.
 */
export const redPacketReviews = pgTable(
  'red_packet_reviews',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    redPacketId: bigint('red_packet_id', { mode: 'number' })
      .notNull()
      .references(() => redPackets.id),
    decision: text('decision', { enum: ['cleared', 'flagged', 'released', 'voided'] }).notNull(),
    /** Why: the flags found (flagged), or the operator's note. */
    reason: text('reason').notNull(),
    /** The operator who released or voided it; null for the automatic checks. */
    operatorId: uuid('operator_id'),
    ...createdAt,
  },
  (t) => [
    uniqueIndex('red_packet_reviews_one_decision').on(t.redPacketId, t.decision),
    index('red_packet_reviews_decision_idx').on(t.decision, t.redPacketId),
  ],
);

/**
 * The compensating row of a voided red packet: its amount back into the campaign's budget. With it
 * `remaining = budget - sum(red_packets.amount) + sum(returns.amount)`; nothing is ever deleted.
 */
export const redPacketBudgetReturns = pgTable(
  'red_packet_budget_returns',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    redPacketId: bigint('red_packet_id', { mode: 'number' })
      .notNull()
      .unique()
      .references(() => redPackets.id),
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    ...createdAt,
  },
  (t) => [check('red_packet_budget_returns_amount_check', sql`${t.amount} > 0`)],
);

/** A merchant transfer's state as we last learnt it (the platform's, lower-cased; see transfer-rules.ts). */
export const TRANSFER_STATES = ['transferring', 'wait_user_confirm', 'cancelling', 'success', 'fail', 'cancelled'] as const;

/**
 * One merchant transfer (商家转账) of a red packet under one out-bill number. Written, committed,
 * before the platform is asked, so a process killed between the platform's accept and our record
 * finds the number on restart and asks the platform about it. A red packet has at most one transfer
 * that is not `cancelled`: a new number is offered only once the old one is known cancelled, so
 * nothing is ever paid twice.
 */
export const redPacketTransfers = pgTable(
  'red_packet_transfers',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    redPacketId: bigint('red_packet_id', { mode: 'number' })
      .notNull()
      .references(() => redPackets.id),
    /** 商户单号: 32 letters and digits, unique on the merchant. */
    outBillNo: text('out_bill_no').notNull().unique(),
    state: text('state', { enum: TRANSFER_STATES }).notNull().default('transferring'),
    provider: text('provider').notNull(),
    /** 微信转账单号, once the platform accepted. */
    transferBillNo: text('transfer_bill_no'),
    /** What the mini-program hands to requestMerchantTransfer while the user has to confirm. */
    packageInfo: text('package_info'),
    failReason: text('fail_reason'),
    /** When an unconfirmed transfer is cancelled and offered again. */
    confirmBy: instant('confirm_by'),
    ...createdAt,
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('red_packet_transfers_one_live').on(t.redPacketId).where(sql`state <> 'cancelled'`),
    index('red_packet_transfers_open_idx').on(t.state, t.updatedAt).where(sql`state in ('transferring', 'wait_user_confirm', 'cancelling')`),
  ],
);
