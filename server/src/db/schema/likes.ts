import { sql } from 'drizzle-orm';
import { bigserial, check, date, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';
import { campaigns } from './campaigns.js';
import { shares } from './shares.js';
import { teams } from './teams.js';
import { users } from './users.js';

export const likes = pgTable(
  'likes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id),
    shareId: uuid('share_id').notNull().references(() => shares.id),
    sharerId: uuid('sharer_id').notNull().references(() => users.id),
    likerId: uuid('liker_id').notNull().references(() => users.id),
    teamId: uuid('team_id').references(() => teams.id),
    /** The campaign's local calendar day the like counts in. */
    day: date('day', { mode: 'string' }).notNull(),
    energy: integer('energy').notNull(),
    ...createdAt,
  },
  (t) => [
    uniqueIndex('likes_once_per_sharer_per_day').on(t.campaignId, t.likerId, t.sharerId, t.day),
    index('likes_sharer_idx').on(t.campaignId, t.sharerId, t.day),
    // For the insights rollup's "likes since" scans; BRIN because likes arrive in time order (tiny, cheap to keep).
    index('likes_created_brin').using('brin', t.createdAt),
    check('likes_not_self', sql`${t.likerId} <> ${t.sharerId}`),
    check('likes_energy_check', sql`${t.energy} > 0`),
  ],
);

/**
 * Per-user, per-day like counters. Incrementing the row is the race-free guard for the daily
 * caps: `given` for the liker's cap, `received` for the sharer's (separate rows, so two users
 * liking each other at once never lock the same rows in opposite order).
 */
export const dailyLikeCounts = pgTable(
  'daily_like_counts',
  {
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id),
    userId: uuid('user_id').notNull().references(() => users.id),
    day: date('day', { mode: 'string' }).notNull(),
    direction: text('direction', { enum: ['given', 'received'] }).notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.userId, t.day, t.direction] })],
);
