import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';
import { campaigns } from './campaigns.js';
import { likes } from './likes.js';
import { teams } from './teams.js';
import { users } from './users.js';

/**
 * Append-only energy ledger (a trigger refuses UPDATE, DELETE and TRUNCATE). One row per
 * movement: it credits `user_id` and, when set, counts toward `team_id` too.
 */
export const energyLedger = pgTable(
  'energy_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id),
    userId: uuid('user_id').notNull().references(() => users.id),
    teamId: uuid('team_id').references(() => teams.id),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    /** `like_voided` compensates a like row an operator voided (negative amount, same like_id). */
    reason: text('reason', { enum: ['like', 'new_liker_like', 'like_voided'] }).notNull(),
    likeId: bigint('like_id', { mode: 'number' }).references(() => likes.id),
    ...createdAt,
  },
  (t) => [
    index('energy_ledger_user_idx').on(t.campaignId, t.userId, t.id),
    index('energy_ledger_team_idx').on(t.teamId, t.userId),
    // A like is voided at most once, however many reviews race: the compensating insert conflicts here.
    uniqueIndex('energy_ledger_voided_once').on(t.likeId, t.userId).where(sql`${t.reason} = 'like_voided'`),
  ],
);
