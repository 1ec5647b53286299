import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { REPO_ROOT, type DatabaseTimeouts } from '../config.js';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** Both drivers produce this: services and repositories never know which one runs. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Repositories take either the database or a transaction. */
export type Executor = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  url: string | null;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'drizzle');

// node-postgres hands int8 back as strings; energy and ids fit in a double, so read them as numbers.
pg.types.setTypeParser(20, (v) => Number(v));

export interface OpenOptions {
  databaseUrl: string | null;
  /** PGlite folder; `memory://` for a throwaway in-memory database. */
  dataDir: string;
  poolSize?: number;
  databaseTimeouts?: DatabaseTimeouts;
  /** PGlite only: start from this dumped data folder (`migratedPgliteImage`) instead of initdb. */
  pgliteImage?: Blob;
}

/** Bounded waits, so a hung or frozen PostgreSQL is answered 503 rather than hanging requests. */
export const DEFAULT_TIMEOUTS: DatabaseTimeouts = { connectMs: 5000, statementMs: 10_000, idleInTransactionMs: 30_000 };

/**
 * node-postgres settings for the timeouts: the statement and idle-in-transaction ones are sent to
 * PostgreSQL at connect; `query_timeout` is the client's own clock for a server that cannot even
 * cancel (frozen, or cut off by the network), a little later so the server's cleaner error wins.
 */
export function pgTimeoutOptions(t: DatabaseTimeouts = DEFAULT_TIMEOUTS) {
  return {
    connectionTimeoutMillis: t.connectMs,
    statement_timeout: t.statementMs,
    idle_in_transaction_session_timeout: t.idleInTransactionMs,
    query_timeout: t.statementMs + 500,
  };
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 8,
      ...pgTimeoutOptions(opts.databaseTimeouts),
      // A restarted database leaves dead sockets in the pool; errors on idle clients must not crash us.
      idleTimeoutMillis: 30_000,
    });
    pool.on('error', () => {});
    // A client checked out when the server goes away (a transaction between two statements) emits
    // 'error' too; unheard, that kills the process. Its query fails on its own (→ 503) and the
    // pool drops the broken client on release, so the error needs no handling beyond being heard.
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = drizzlePg(pool, { schema, casing: 'snake_case' }) as unknown as Db;
    return { db, kind: 'postgres', url: opts.databaseUrl, close: () => pool.end() };
  }
  const dir = opts.dataDir === 'memory://' ? 'memory://' : path.join(opts.dataDir, 'pglite');
  if (dir !== 'memory://') mkdirSync(dir, { recursive: true });
  const client = opts.pgliteImage ? await PGlite.create({ dataDir: dir, loadDataDir: opts.pgliteImage }) : await PGlite.create(dir);
  const db = drizzlePglite(client, { schema, casing: 'snake_case' }) as unknown as Db;
  return { db, kind: 'pglite', url: null, close: () => client.close() };
}

/**
 * An in-memory PGlite with every migration applied, dumped: the test suite opens each file's
 * database from it, which skips initdb and the migrations (about half of a file's start).
 */
export async function migratedPgliteImage(): Promise<Blob> {
  const client = await PGlite.create('memory://');
  try {
    await migratePglite(drizzlePglite(client, { casing: 'snake_case' }) as never, { migrationsFolder: MIGRATIONS_DIR });
    return await client.dumpDataDir('none');
  } finally {
    await client.close();
  }
}

/**
 * Applies the committed drizzle-kit migrations. On a shared server an advisory lock keeps two
 * instances that boot together from applying the same migration twice.
 */
export async function migrateDatabase(database: Database): Promise<void> {
  const databaseUrl = database.url;
  const config = { migrationsFolder: MIGRATIONS_DIR };
  if (database.kind === 'pglite' || !databaseUrl) {
    await migratePglite(database.db as never, config);
    return;
  }
  // One dedicated connection, so the session-level lock and the migration share it.
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(drizzlePg(client, { casing: 'snake_case' }), config);
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    await client.end();
  }
}

/*
 * Every advisory-lock key the database sees, listed here so no two uses share one:
 * 7_310_842_551 migrations, 7_310_842_552 `compact_energy_histogram()` (taken in SQL, migrations
 * 0012 and 0013), 7_310_842_553 the seed. The seed once shared the histogram's key, so a long
 * seed made every instance's compaction give up until it ended.
 */
const MIGRATION_LOCK = 7_310_842_551;

/** Advisory-lock keys of the start-up steps that must not run twice at once (one per step). */
export const STARTUP_LOCKS = { seed: 7_310_842_553 } as const;

/**
 * Runs `work` while holding a session advisory lock on a dedicated connection, so the same step
 * started by two instances (or two CLI runs) at once runs one after the other: the second then
 * finds the first one's rows and leaves them alone. The work itself uses the pool as usual. On
 * embedded PGlite there is only this process, so no lock is needed.
 */
export async function exclusively<T>(database: Database, lock: number, work: () => Promise<T>): Promise<T> {
  if (database.kind === 'pglite' || !database.url) return work();
  const client = new pg.Client({ connectionString: database.url });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [lock]);
    return await work();
  } finally {
    await client.query('select pg_advisory_unlock($1)', [lock]).catch(() => {});
    await client.end().catch(() => {});
  }
}

/**
 * Runs one hot-path statement by hand-written SQL: on PostgreSQL as a named prepared statement
 * (parsed and planned once per pooled connection), on PGlite as a plain parameterised query.
 * Only for statements that run outside an explicit transaction (`db`, not a `tx`).
 */
export async function preparedRows<T>(db: Db, name: string, text: string, values: unknown[]): Promise<T[]> {
  const client = driverOf(db);
  if (client instanceof pg.Pool) return (await client.query({ name, text, values })).rows as T[];
  return (await client.query<T>(text, values)).rows;
}

/** How many statements the database can run at once for us: the pool's size, or 1 for PGlite. */
export function poolSizeOf(db: Db): number {
  const client = driverOf(db);
  return client instanceof pg.Pool ? client.options.max : 1;
}

/** The driver under drizzle: the node-postgres pool, or the one PGlite. */
function driverOf(db: Db): pg.Pool | PGlite {
  return (db as unknown as { $client: pg.Pool | PGlite }).$client;
}

/** Raw SQL for the few statements the query builder cannot say; both drivers return `rows`. */
export async function rows<T>(ex: Executor, query: SQL): Promise<T[]> {
  const result = (await ex.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** A row of a ranking query (team or user board): ties share a rank (1, 2, 2, 4). */
export interface RankedRow {
  id: string;
  name: string;
  /** The face on the board: the user's, or a team's captain's. */
  avatarUrl: string | null;
  energy: number;
  rank: number;
}

/**
 * Raw ranking rows (selecting `id, name, avatar_url, energy, rank`); bigint columns may come back
 * as text or bigint depending on the driver.
 */
export async function rankedRows(ex: Executor, query: SQL): Promise<RankedRow[]> {
  return (await rows<RawRankedRow>(ex, query)).map(toRankedRow);
}

/** A ranking row as either driver returns it (`avatar_url`; bigints as text, bigint or number). */
export type RawRankedRow = { id: string; name: string; avatar_url: string | null; energy: unknown; rank: unknown };

export function toRankedRow({ avatar_url, ...r }: RawRankedRow): RankedRow {
  return { id: r.id, name: r.name, avatarUrl: avatar_url ?? null, energy: Number(r.energy), rank: Number(r.rank) };
}
