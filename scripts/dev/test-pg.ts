/**
 * Runs the server suite against a real PostgreSQL: each test file creates its own database there
 * and drops it afterwards. JIZAN_TEST_DATABASE_URL names an admin connection (default: local 5432).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const url = process.env.JIZAN_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
try {
  await probe.connect();
  const { rows } = await probe.query<{ v: string }>("select current_setting('server_version') as v");
  console.log(`PostgreSQL ${rows[0]?.v} at ${new URL(url).host}`);
} catch (err) {
  console.error(`Cannot reach PostgreSQL at ${url}: ${(err as Error).message}`);
  process.exit(2);
} finally {
  await probe.end().catch(() => {});
}

// Vitest on this Node (process.execPath), not whichever `node` the PATH has: CI runs this suite on Node 24.
console.log(`The server suite on Node ${process.version}`);
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const result = spawnSync(process.execPath, [vitest, 'run', '--project', 'server', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, JIZAN_TEST_DATABASE_URL: url },
});
process.exit(result.status ?? 1);
