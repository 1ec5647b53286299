import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS_DIR } from '@jizan/server/db';
import {
  CUSTOM_MIGRATION_PLACEHOLDER,
  LIKE_SQL,
  newestDefinition,
  sameSql,
  sourceStatement,
  WHY_PLACEHOLDER,
} from '@jizan/server/like-sql';

/**
 * `pnpm db:like-migration <slug>`: a new custom drizzle migration carrying the like's SQL from its
 * home (server/src/modules/likes/like-shares.sql and like-request.sql). drizzle-kit makes the
 * migration (`generate --custom`: the journal entry, and a snapshot equal to the last one, since
 * the tables do not change); this fills it with `CREATE OR REPLACE FUNCTION like_shares`, preceded
 * by the type's DROP and CREATE when like-request.sql changed too. Nothing is written when the
 * migrations already hold both files. Then say at the top of the migration why it exists.
 */

const REPO_ROOT = path.resolve(MIGRATIONS_DIR, '..');
const BREAKPOINT = '--> statement-breakpoint';

const slug = process.argv[2];
if (!slug || !/^[a-z0-9_]+$/.test(slug) || process.argv.length > 3) {
  console.error('usage: pnpm db:like-migration <slug>   (lower case, digits and _, e.g. like_shares_skip_locked)');
  process.exit(2);
}

const changed = LIKE_SQL.filter((o) => {
  const newest = newestDefinition(MIGRATIONS_DIR, o);
  return !newest?.statement || !sameSql(newest.statement, sourceStatement(o));
});
if (changed.length === 0) {
  console.log('The newest migrations already hold like-shares.sql and like-request.sql: nothing to write.');
  process.exit(1);
}

const statements: string[] = [];
for (const o of LIKE_SQL) {
  if (o.kind === 'type' && changed.includes(o)) {
    // A composite type cannot be replaced in place. Nothing depends on it in the catalog (the
    // function names it only in its body), and the function is recreated below in the same
    // migration, so sessions that compiled it against the old type compile it afresh.
    if (newestDefinition(MIGRATIONS_DIR, o)?.verb === 'create') statements.push(`DROP TYPE ${o.name};`);
    statements.push(sourceStatement(o));
  }
  if (o.kind === 'function') statements.push(sourceStatement(o).replace(/^CREATE\s+FUNCTION\b/i, 'CREATE OR REPLACE FUNCTION'));
}

const kit = spawnSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'drizzle-kit'), ['generate', '--custom', '--name', slug], {
  cwd: REPO_ROOT,
  stdio: 'inherit',
});
if (kit.status !== 0) process.exit(kit.status ?? 1);

const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
const tag = journal.entries.at(-1)!.tag;
const file = path.join(MIGRATIONS_DIR, `${tag}.sql`);
if (readFileSync(file, 'utf8').trim() !== CUSTOM_MIGRATION_PLACEHOLDER) {
  console.error(`${path.relative(REPO_ROOT, file)} is not the empty custom migration drizzle-kit makes; left as it is.`);
  process.exit(1);
}
const sources = LIKE_SQL.filter((o) => o.kind === 'function' || changed.includes(o))
  .map((o) => path.relative(REPO_ROOT, o.file))
  .join(' and ');
writeFileSync(
  file,
  `${WHY_PLACEHOLDER}\n-- From ${sources} (pnpm db:like-migration).\n${statements.join(`\n${BREAKPOINT}\n`)}\n`,
);
console.log(`Wrote ${path.relative(REPO_ROOT, file)}: now replace its first line with why the like changes.`);
