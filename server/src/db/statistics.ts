import { sql } from 'drizzle-orm';
import { rows, type Db } from './client.js';

/**
 * Planner statistics and the one table that fills with dead rows, kept up by the server itself.
 *
 * A database restored, upgraded or filled in bulk has no statistics until something analyzes it,
 * and autovacuum may be off, slow to reach a busy table, or a minute behind a storm. The board
 * indexes (drizzle/0022) already leave the hot reads one plan; statistics still decide the rest
 * (the like's generic plans are made once per connection from them). `energy_histogram_moves` is
 * drained by every compaction and has no index on purpose, so every "my rank" reads all of its
 * pages, dead rows included: 1,350,000 dead rows after a bulk fill made each rank cost 30 ms and
 * the user board ran at 86 req/s (bench-results/README.md). Vacuuming it brings that back to a
 * few pages.
 */

/** The thresholds: autovacuum's shape (a floor plus a share of the table), set so autovacuum, when on, gets there first. */
export interface StatisticsPolicy {
  /** Rows changed since the last ANALYZE before a table is analyzed again: the floor... */
  analyzeMinRows: number;
  /** ...plus this share of the rows it had then. */
  analyzeFraction: number;
  /** Dead rows in a drained table before it is vacuumed. */
  vacuumMinDead: number;
}

export const DEFAULT_STATISTICS_POLICY: StatisticsPolicy = { analyzeMinRows: 1_000, analyzeFraction: 0.2, vacuumMinDead: 10_000 };

/** Tables emptied by the server as fast as they fill, read whole by a hot read. */
export const DRAINED_TABLES: readonly string[] = ['energy_histogram_moves'];

/** What pg_class and pg_stat_user_tables say about one table. */
export interface TableFacts {
  table: string;
  /** pg_class.reltuples: -1 while the table has never been analyzed or vacuumed (PostgreSQL 14+). */
  reltuples: number;
  live: number;
  dead: number;
  modifiedSinceAnalyze: number;
}

export interface MaintenanceDue {
  analyze: string[];
  vacuum: string[];
}

/** Which tables to analyze (no statistics while holding rows, or grown past the threshold) and which drained ones to vacuum. */
export function maintenanceDue(facts: readonly TableFacts[], policy: StatisticsPolicy = DEFAULT_STATISTICS_POLICY): MaintenanceDue {
  const due: MaintenanceDue = { analyze: [], vacuum: [] };
  for (const f of facts) {
    if (DRAINED_TABLES.includes(f.table)) {
      // Its statistics hardly matter (no index to choose); its dead pages do.
      if (f.dead >= policy.vacuumMinDead) due.vacuum.push(f.table);
      continue;
    }
    const never = f.reltuples < 0 && f.live + f.modifiedSinceAnalyze > 0;
    const grown = f.modifiedSinceAnalyze > policy.analyzeMinRows + policy.analyzeFraction * Math.max(f.reltuples, 0);
    if (never || grown) due.analyze.push(f.table);
  }
  return due;
}

/** The facts for every table of the schema the server migrated. */
export async function tableFacts(db: Db): Promise<TableFacts[]> {
  const found = await rows<{ table: string; reltuples: unknown; live: unknown; dead: unknown; modified: unknown }>(
    db,
    sql`select s.relname as table, c.reltuples, s.n_live_tup as live, s.n_dead_tup as dead, s.n_mod_since_analyze as modified
        from pg_stat_user_tables s join pg_class c on c.oid = s.relid
        where s.schemaname = current_schema() and s.relname <> '__drizzle_migrations'
        order by s.relname`,
  );
  return found.map((r) => ({
    table: r.table,
    reltuples: Number(r.reltuples),
    live: Number(r.live),
    dead: Number(r.dead),
    modifiedSinceAnalyze: Number(r.modified),
  }));
}

/**
 * Analyzes and vacuums what `maintenanceDue` names, one statement per table (VACUUM refuses a
 * transaction, and one table's failure must not cost the others); answers the tables it refreshed.
 * Only for PostgreSQL: PGlite is one embedded connection with the tables of a test or a demo, and
 * a VACUUM there would hold every request while it runs.
 */
export async function refreshStatistics(
  db: Db,
  opts: { policy?: StatisticsPolicy; log?: { info(obj: object, msg?: string): void } } = {},
): Promise<number> {
  const due = maintenanceDue(await tableFacts(db), opts.policy);
  const started = Date.now();
  // Names come from the catalogue, quoted as identifiers all the same.
  for (const table of due.vacuum) await db.execute(sql`vacuum ${sql.identifier(table)}`);
  for (const table of due.analyze) await db.execute(sql`analyze ${sql.identifier(table)}`);
  const refreshed = due.vacuum.length + due.analyze.length;
  if (refreshed > 0) opts.log?.info({ ...due, ms: Date.now() - started }, 'planner statistics refreshed');
  return refreshed;
}
