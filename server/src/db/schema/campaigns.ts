import { sql } from 'drizzle-orm';
import { bigint, check, integer, index, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, instant, uuidPk } from './columns.js';
import { users } from './users.js';

export const campaigns = pgTable(
  'campaigns',
  {
    id: uuidPk(),
    /** Operator-chosen stable handle (the seed finds its demo campaign by it). */
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    startsAt: instant('starts_at').notNull(),
    endsAt: instant('ends_at').notNull(),
    /** IANA zone whose calendar day the daily rules count in. */
    timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
    /** CampaignRules JSON, validated against the shared schema on write and on read. */
    rules: jsonb('rules').notNull().default({}),
    /**
     * Null while the campaign is an operator's draft: users never see it. Once set, the window
     * alone says scheduled, live or ended (settled comes from the red-packet settlement).
     */
    publishedAt: instant('published_at').defaultNow(),
    /**
     * Bumped by a trigger on every update of the row: instances cache campaigns, and the like
     * statement refuses to run on a cached copy whose version is not this one.
     */
    rulesVersion: integer('rules_version').notNull().default(1),
    ...createdAt,
  },
  (t) => [
    check('campaigns_window_check', sql`${t.endsAt} > ${t.startsAt}`),
    index('campaigns_window_idx').on(t.startsAt, t.endsAt),
  ],
);

/** A user's standing in one campaign; `energy` is kept equal to their ledger sum in the same transaction. */
export const participants = pgTable(
  'participants',
  {
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id),
    userId: uuid('user_id').notNull().references(() => users.id),
    energy: bigint('energy', { mode: 'number' }).notNull().default(0),
    ...createdAt,
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.userId] }),
    check('participants_energy_check', sql`${t.energy} >= 0`),
    // The user board, holders only: a lookup of one participant (campaign, user) never says
    // `energy > 0`, so the planner cannot take this index for the primary key's job, with or
    // without statistics (it once did, reading the whole campaign per like). The board's reads
    // say it, and end in the user so the top rows come off the index in listing order, unsorted.
    index('participants_board_idx').on(t.campaignId, t.energy.desc(), t.userId).where(sql`${t.energy} > 0`),
  ],
);
