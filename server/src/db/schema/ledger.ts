import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { LedgerReason } from '@jizan/shared';
import { createdAt } from './columns.js';
import { campaigns } from './campaigns.js';
import { groupBuys } from './groupbuy.js';
import { likes } from './likes.js';
import { users } from './users.js';

const LEDGER_REASONS = ['like', 'new_liker_like', 'group_join', 'like_voided'] as const satisfies readonly LedgerReason[];

/**
 * Append-only energy ledger (a trigger refuses UPDATE, DELETE and TRUNCATE). One row per
 * movement: it credits `user_id` and, when set, counts toward `team_id` too. The campaign, user
 * and team carry no foreign key, for the reason given on `likes`: every like appends a row for a
 * possibly hot sharer and team, and nothing deletes campaigns, users or teams.
 */
export const energyLedger = pgTable(
  'energy_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    campaignId: uuid('campaign_id').notNull(),
    userId: uuid('user_id').notNull(),
    teamId: uuid('team_id'),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    /** `like_voided` compensates a like row an operator voided (negative amount, same like_id). */
    reason: text('reason', { enum: LEDGER_REASONS }).notNull(),
    /** No foreign key: `like_shares` writes the like and this row together, and likes are never deleted. */
    likeId: bigint('like_id', { mode: 'number' }),
    /** `group_join`: the group buy a friend joined through the credited user's card, and that friend. */
    groupId: uuid('group_id').references(() => groupBuys.id),
    joinerId: uuid('joiner_id').references(() => users.id),
    ...createdAt,
  },
  (t) => [
    check('energy_ledger_reason_check', sql`${t.reason} in ('like', 'new_liker_like', 'group_join', 'like_voided')`),
    check('energy_ledger_group_join_check', sql`${t.reason} <> 'group_join' or (${t.groupId} is not null and ${t.joinerId} is not null)`),
    // A friend's join credits the sharer once per group, however often the payment is notified.
    uniqueIndex('energy_ledger_group_join_once').on(t.groupId, t.joinerId).where(sql`${t.reason} = 'group_join'`),
    index('energy_ledger_user_idx').on(t.campaignId, t.userId, t.id),
    index('energy_ledger_team_idx').on(t.teamId, t.userId),
    // A like is voided at most once, however many reviews race: the compensating insert conflicts here.
    uniqueIndex('energy_ledger_voided_once').on(t.likeId, t.userId).where(sql`${t.reason} = 'like_voided'`),
  ],
);

/**
 * The ledger summed per user and per team in each campaign, up to `ledger_sums_horizon.folded_upto`
 * (a ledger id): kept by the `ledger-sums` job from the rows alone, never from the balances, so the
 * operators' ledger audit can set every balance against its ledger sum without reading a million
 * rows on request (it adds the few rows past the horizon).
 */
export const ledgerSums = pgTable(
  'ledger_sums',
  {
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id),
    /** `user`: a participant's energy; `team`: a team's. */
    subjectKind: text('subject_kind', { enum: ['user', 'team'] }).notNull(),
    subjectId: uuid('subject_id').notNull(),
    total: bigint('total', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.subjectKind, t.subjectId] })],
);

/**
 * How far `ledger_sums` goes (one row). `pending_upto` is the highest ledger id seen by a run and
 * `pending_xmax` that run's snapshot xmax: the next run folds up to it only once every transaction
 * that could still commit a smaller id has ended (see foldLedgerSums).
 */
export const ledgerSumsHorizon = pgTable(
  'ledger_sums_horizon',
  {
    id: integer('id').primaryKey().default(1),
    foldedUpto: bigint('folded_upto', { mode: 'number' }).notNull().default(0),
    pendingUpto: bigint('pending_upto', { mode: 'number' }),
    pendingXmax: bigint('pending_xmax', { mode: 'number' }),
  },
  (t) => [check('ledger_sums_horizon_one_row', sql`${t.id} = 1`)],
);
