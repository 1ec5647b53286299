import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The like's SQL lives in files beside this one (the like is decided in the database, one
 * statement per batch), and reaches the database only through drizzle migrations:
 * `pnpm db:like-migration <slug>` (scripts/dev/like-migration.ts) writes a new one from these
 * files, and server/test/modules/likes/like-sql.test.ts holds the newest migration that defines
 * each object equal to its file. Migrations are history and stay as written; these files are the
 * present.
 */
export interface LikeSqlObject {
  kind: 'type' | 'function';
  name: string;
  /** The file holding the object's one CREATE statement (comments around it are the file's own). */
  file: string;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** In the order a migration creates them: the function reads its argument as the type. */
export const LIKE_SQL: readonly LikeSqlObject[] = [
  { kind: 'type', name: 'like_request', file: path.join(HERE, 'like-request.sql') },
  { kind: 'function', name: 'like_shares', file: path.join(HERE, 'like-shares.sql') },
];

/** What `drizzle-kit generate --custom` leaves in an empty custom migration. */
export const CUSTOM_MIGRATION_PLACEHOLDER = '-- Custom SQL migration file, put your code below! --';

/** The first line a generated migration carries until its author says why it exists. */
export const WHY_PLACEHOLDER = '-- WHY: say what changes in the like and why (what was measured), then delete this line.';

type Mention = { at: number; verb: 'create' | 'alter' | 'drop' };

/**
 * Statements naming the object, matched at the start of a line so a comment mentioning them does
 * not count. `like_share` does not match `like_shares`: the name must end where a word does.
 */
function mentionsIn(sqlText: string, o: LikeSqlObject): Mention[] {
  const keyword = o.kind === 'function' ? 'FUNCTION' : 'TYPE';
  const name = `(?:public\\.)?"?${o.name}"?(?![A-Za-z0-9_])`;
  const patterns: [Mention['verb'], RegExp][] = [
    ['create', new RegExp(`^[ \\t]*CREATE\\s+(?:OR\\s+REPLACE\\s+)?${keyword}\\s+${name}`, 'gim')],
    ['alter', new RegExp(`^[ \\t]*ALTER\\s+${keyword}\\s+${name}`, 'gim')],
    ['drop', new RegExp(`^[ \\t]*DROP\\s+${keyword}\\s+(?:IF\\s+EXISTS\\s+)?${name}`, 'gim')],
  ];
  return patterns.flatMap(([verb, re]) => [...sqlText.matchAll(re)].map((m) => ({ at: m.index, verb })));
}

/** The CREATE statement starting at `start`, through its closing semicolon. */
function statementAt(sqlText: string, start: number, o: LikeSqlObject): string {
  let from = start;
  if (o.kind === 'function') {
    // The body is dollar-quoted and holds semicolons of its own: the statement ends after it.
    const open = /\bAS\s+(\$[A-Za-z0-9_]*\$)/i.exec(sqlText.slice(start));
    if (!open) throw new Error(`${o.name}: no dollar-quoted body after its CREATE FUNCTION`);
    const tag = open[1]!;
    const bodyStart = start + open.index + open[0].length;
    const close = sqlText.indexOf(tag, bodyStart);
    if (close < 0) throw new Error(`${o.name}: its body's ${tag} is never closed`);
    from = close + tag.length;
  }
  const end = sqlText.indexOf(';', from);
  if (end < 0) throw new Error(`${o.name}: its CREATE statement has no closing semicolon`);
  return sqlText.slice(start, end + 1);
}

/** The object's CREATE statement in a file meant to hold exactly one. */
export function sourceStatement(o: LikeSqlObject): string {
  const text = readFileSync(o.file, 'utf8');
  const mentions = mentionsIn(text, o);
  if (mentions.length !== 1 || mentions[0]!.verb !== 'create') {
    throw new Error(`${o.file} must hold one CREATE statement of ${o.name} and nothing else that changes it`);
  }
  return statementAt(text, mentions[0]!.at, o);
}

/**
 * Where the migrations, applied in journal order, last touched the object: its tag, and the CREATE
 * statement when that last touch is one (null when it is an ALTER or a DROP, which the source file
 * cannot be compared with). Null when no migration names it.
 */
export function newestDefinition(
  migrationsDir: string,
  o: LikeSqlObject,
): { tag: string; verb: Mention['verb']; statement: string | null; text: string } | null {
  const journal = JSON.parse(readFileSync(path.join(migrationsDir, 'meta', '_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  const tags = [...journal.entries].sort((a, b) => a.idx - b.idx).map((e) => e.tag);
  for (const tag of tags.reverse()) {
    const text = readFileSync(path.join(migrationsDir, `${tag}.sql`), 'utf8');
    const last = mentionsIn(text, o).sort((a, b) => a.at - b.at).at(-1);
    if (!last) continue;
    return { tag, verb: last.verb, statement: last.verb === 'create' ? statementAt(text, last.at, o) : null, text };
  }
  return null;
}

/** `--` comments outside the dollar-quoted body: PostgreSQL never stores them. */
function withoutOuterComments(statement: string): string {
  const quoted = /\bAS\s+(\$[A-Za-z0-9_]*\$)[\s\S]*?\1/i.exec(statement);
  const strip = (part: string) => part.replace(/--.*$/gm, '');
  if (!quoted) return strip(statement);
  const end = quoted.index + quoted[0].length;
  return strip(statement.slice(0, quoted.index)) + quoted[0] + strip(statement.slice(end));
}

/**
 * A statement as it is compared: runs of whitespace are one space (indentation and line breaks
 * do not change what PostgreSQL stores in any way that matters here), and `CREATE FUNCTION` is
 * read as `CREATE OR REPLACE FUNCTION` (the same function either way). Comments inside the body
 * count (PostgreSQL stores them with it); those around it do not, so rewording one needs no
 * migration.
 */
export function normalisedSql(statement: string): string {
  return withoutOuterComments(statement)
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^CREATE (?:OR REPLACE )?FUNCTION /i, 'CREATE OR REPLACE FUNCTION ');
}

export function sameSql(a: string, b: string): boolean {
  return normalisedSql(a) === normalisedSql(b);
}
