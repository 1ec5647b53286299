import { sql } from 'drizzle-orm';
import { date, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { campaigns } from './campaigns.js';
import { instant } from './columns.js';
import { users } from './users.js';

/**
 * The operators' rollups, kept by the `insights-rollup` job (never by the user-facing write paths,
 * so a like costs nothing extra). Read by the admin insights queries, which must answer in well
 * under a second over a million likes: counting distinct users over the raw tables cannot.
 */

/**
 * One row per user who did anything in a campaign: when they first did each step of the funnel
 * and every campaign day they were active on. Both fold by `least` and set union, so running the
 * job twice over the same events changes nothing (it rescans a margin to catch late commits).
 */
export const insightsUsers = pgTable(
  'insights_users',
  {
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id),
    userId: uuid('user_id').notNull().references(() => users.id),
    /** Null for a user who so far only opened cards: an open is a funnel step, not an action. */
    firstActionAt: instant('first_action_at'),
    firstOpenAt: instant('first_open_at'),
    /** The channel of that first open (card, poster, moments): the funnel's split by channel. */
    firstOpenChannel: text('first_open_channel'),
    firstLikeAt: instant('first_like_at'),
    firstJoinAt: instant('first_join_at'),
    firstOrderAt: instant('first_order_at'),
    firstPaidAt: instant('first_paid_at'),
    /** The campaign-local days with an action (like given or received, card made, team joined, order placed). */
    activeDays: date('active_days', { mode: 'string' }).array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.userId] }), index('insights_users_open_idx').on(t.campaignId, t.firstOpenAt)],
);

/** Per campaign and UTC hour: counts recomputed whole for every hour the job revisits. */
export const insightsHourly = pgTable(
  'insights_hourly',
  {
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id),
    hour: timestamp('hour', { withTimezone: true, mode: 'date' }).notNull(),
    likes: integer('likes').notNull(),
    newParticipants: integer('new_participants').notNull(),
    shares: integer('shares').notNull(),
    opens: integer('opens').notNull(),
    /** Of `opens`, those through a poster's code and through Moments (the rest came by card). */
    posterOpens: integer('poster_opens').notNull().default(0),
    momentsOpens: integer('moments_opens').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.hour] })],
);

/** How far each campaign's rollups are complete: events before `upto` are in them. */
export const insightsWatermarks = pgTable('insights_watermarks', {
  campaignId: uuid('campaign_id').primaryKey().references(() => campaigns.id),
  upto: instant('upto').notNull(),
  refreshedAt: instant('refreshed_at').notNull().default(sql`now()`),
});
