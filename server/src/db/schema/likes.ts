import { sql } from 'drizzle-orm';
import { bigserial, check, date, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';

/**
 * One friend's like. The campaign, share, sharer and team ids carry no foreign key on purpose:
 * each is copied from the immutable share card `like_shares` is given, and a foreign key would
 * share-lock the one campaign row (and a hot sharer's user, share and team rows) from every
 * concurrent like, which PostgreSQL turns into a multixact per like on Double-11. Nothing deletes
 * those rows. The liker went the same way (0019): its check locked the liker's user row once per
 * like, a WAL record each, for a row the like statement has just read (and, on a first like, locked).
 */
export const likes = pgTable(
  'likes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    campaignId: uuid('campaign_id').notNull(),
    shareId: uuid('share_id').notNull(),
    sharerId: uuid('sharer_id').notNull(),
    likerId: uuid('liker_id').notNull(),
    teamId: uuid('team_id'),
    /** The campaign's local calendar day the like counts in. */
    day: date('day', { mode: 'string' }).notNull(),
    energy: integer('energy').notNull(),
    ...createdAt,
  },
  (t) => [
    uniqueIndex('likes_once_per_sharer_per_day').on(t.campaignId, t.likerId, t.sharerId, t.day),
    // The sharer's likes by day, ending in the liker so that the once-per-day check reads one entry
    // whichever of the two indexes the planner picks: with the day's likes under (campaign, sharer,
    // day) alone, a generic plan choosing this index walked all of a hot sharer's likes, every like.
    index('likes_sharer_idx').on(t.campaignId, t.sharerId, t.day, t.likerId),
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
  // No foreign keys, for the reason given on `likes`: every like bumps two of these rows.
  {
    campaignId: uuid('campaign_id').notNull(),
    userId: uuid('user_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    direction: text('direction', { enum: ['given', 'received'] }).notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.userId, t.day, t.direction] })],
);
