import { instant } from './columns.js';
import { groupBuys } from './groupbuy.js';
import { pgTable, text, uuid } from 'drizzle-orm/pg-core';

/**
 * The 还差 N 人 reminder's "once per group": the reminder job inserts a group's row (ON CONFLICT
 * DO NOTHING) in the transaction that writes its members' messages, so two instances' jobs, or a
 * rerun, remind a group at most once.
 */
export const groupReminders = pgTable('group_reminders', {
  groupId: uuid('group_id')
    .primaryKey()
    .references(() => groupBuys.id),
  remindedAt: instant('reminded_at').notNull(),
});

/**
 * How far a scanning producer has read (the like batcher: likes up to `upto` are in messages).
 * One row per producer, locked FOR UPDATE SKIP LOCKED by the run that advances it, so instances
 * take turns instead of batching the same window twice.
 */
export const messageWatermarks = pgTable('message_watermarks', {
  producer: text('producer').primaryKey(),
  upto: instant('upto').notNull(),
});
