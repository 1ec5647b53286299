import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A database of its own on a PostgreSQL server, for a test file, a benchmark or a fault scene. */
export interface ScratchDatabase {
  name: string;
  url: string;
  /** Drops it, closing whatever is still connected to it. */
  drop(): Promise<void>;
}

/**
 * Creates a database on the server `adminUrl` points at (any database there will do): named
 * `<prefix>_<random>` so runs side by side never meet, or `name` (dropped first if a crashed run
 * left it), optionally copied from `template`. Tests and benches never depend on leftovers.
 */
export async function createScratchDatabase(
  adminUrl: string,
  opts: { prefix: string; template?: string | null } | { name: string; replace: true },
): Promise<ScratchDatabase> {
  const name = 'name' in opts ? opts.name : `${opts.prefix}_${randomBytes(5).toString('hex')}`;
  if ('replace' in opts) await onServer(adminUrl, `drop database if exists ${name} with (force)`);
  const template = 'template' in opts && opts.template ? ` template ${opts.template}` : '';
  await onServer(adminUrl, `create database ${name}${template}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => onServer(adminUrl, `drop database if exists ${name} with (force)`) };
}

/** One statement on its own connection (CREATE and DROP DATABASE refuse to run in a transaction or a pool's session). */
async function onServer(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
