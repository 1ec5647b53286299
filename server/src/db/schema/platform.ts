import { sql } from 'drizzle-orm';
import { check, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { instant } from './columns.js';
import { users } from './users.js';

/**
 * The chat platform's access_token, one row per app, shared by every instance when there is no
 * Redis. A refresh replaces the row only if it still holds the token the refresher saw (or an
 * older expiry), so a slow instance never writes back a token another has already replaced.
 */
export const platformTokens = pgTable('platform_tokens', {
  appId: text('app_id').primaryKey(),
  accessToken: text('access_token').notNull(),
  expiresAt: instant('expires_at').notNull(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

/**
 * Send credits of subscribe messages: each acceptance of a one-time template in the mini-program
 * allows one message of that template to that user; a send spends one. Never negative.
 */
export const subscribeCredits = pgTable(
  'subscribe_credits',
  {
    userId: uuid('user_id').notNull().references(() => users.id),
    templateKey: text('template_key').notNull(),
    credits: integer('credits').notNull().default(0),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.templateKey] }), check('subscribe_credits_not_negative', sql`${t.credits} >= 0`)],
);
