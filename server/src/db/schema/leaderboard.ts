import { bigint, check, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

const BOARDS = ['user', 'team'] as const;

/**
 * How many participants (board `user`) or teams (board `team`) of a campaign hold each energy
 * value above zero, so "my rank" (1 + everyone with more energy) sums at most one row per distinct
 * energy value instead of counting a million rows. Derived data, like an index: it is never
 * written by the services. Statement triggers on `participants` and `teams`
 * (drizzle/0031_energy_histogram_statement_triggers.sql) append each statement's balance moves to
 * `energy_histogram_moves` in the moving transaction itself, and `compact_energy_histogram()`
 * folds the moves in here. The true count at an energy is this row plus its pending moves;
 * `findHistogramDrift` (leaderboard.service) checks both against the balances.
 */
export const energyHistogram = pgTable(
  'energy_histogram',
  {
    campaignId: uuid('campaign_id').notNull(),
    board: text('board', { enum: BOARDS }).notNull(),
    energy: bigint('energy', { mode: 'number' }).notNull(),
    holders: bigint('holders', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.board, t.energy] }),
    check('energy_histogram_board_check', sql`${t.board} in ('user', 'team')`),
  ],
);

/**
 * Balance moves not folded into `energy_histogram` yet: −1 at each old energy, +1 at each new one,
 * summed per statement and energy (a row's delta may be any whole number). Only ever appended by
 * the moving transaction (no row is updated, so two likes never wait on each other here, however
 * many sharers hold the same energy), then deleted by the compaction. No index and no foreign key
 * on purpose: it stays small, and every like writes it.
 */
export const energyHistogramMoves = pgTable('energy_histogram_moves', {
  campaignId: uuid('campaign_id').notNull(),
  board: text('board', { enum: BOARDS }).notNull(),
  energy: bigint('energy', { mode: 'number' }).notNull(),
  delta: bigint('delta', { mode: 'number' }).notNull(),
});

/**
 * The histogram again, by buckets of 1024 energy (`energy >> 10`): `energy_rank` sums the buckets
 * above the caller's and the energies above them within it, so a rank reads about a hundred rows
 * however many distinct energies a board holds (ten thousand teams hold thousands). Kept by the
 * same compaction, from the same moves; `findHistogramDrift` checks it too.
 */
export const energyHistogramBuckets = pgTable(
  'energy_histogram_buckets',
  {
    campaignId: uuid('campaign_id').notNull(),
    board: text('board', { enum: BOARDS }).notNull(),
    bucket: bigint('bucket', { mode: 'number' }).notNull(),
    holders: bigint('holders', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.board, t.bucket] }),
    check('energy_histogram_buckets_board_check', sql`${t.board} in ('user', 'team')`),
  ],
);
