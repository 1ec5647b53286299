import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { campaigns } from './campaigns.js';
import { createdAt, uuidPk } from './columns.js';
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
    ...createdAt,
  },
  (t) => [
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
