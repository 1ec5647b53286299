import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, rows } from '../../../src/db/client.js';
import {
  LIKE_SQL,
  newestDefinition,
  sameSql,
  sourceStatement,
  WHY_PLACEHOLDER,
  type LikeSqlObject,
} from '../../../src/modules/likes/like-sql.js';
import { createTestDatabase, type TestDatabase } from '../../helper.js';

/** Lines as compared, for a failure that names the lines that differ instead of one long string. */
function readable(statement: string): string[] {
  return statement
    .split('\n')
    .map((line) => line.trim().replace(/\s+/g, ' '))
    .filter(Boolean);
}

function expectSameSql(actual: string, expected: string, what: string) {
  if (sameSql(actual, expected)) return;
  expect(readable(actual), what).toEqual(readable(expected));
  expect.fail(`${what}: differs only in how its CREATE is written`);
}

const [likeRequest, likeShares] = ['like_request', 'like_shares'].map((name) => LIKE_SQL.find((o) => o.name === name)!) as [
  LikeSqlObject,
  LikeSqlObject,
];

/** The function's body (between its dollar quotes) and its SET options as `name=value`. */
function functionParts(statement: string): { body: string; settings: string[] } {
  const quoted = /\bAS\s+(\$[A-Za-z0-9_]*\$)([\s\S]*?)\1/i.exec(statement);
  if (!quoted) throw new Error('no dollar-quoted body');
  const head = statement.slice(0, quoted.index).replace(/--.*$/gm, '');
  const settings = [...head.matchAll(/\bSET\s+([a-z_]+)\s*(?:=|TO)\s*([a-z_]+)/gi)].map((m) => `${m[1]}=${m[2]}`);
  return { body: quoted[2]!, settings };
}

describe('the like’s SQL has one home, and the migrations carry it', () => {
  it.each(LIKE_SQL.map((o) => [o.name, o] as const))(
    'the newest migration that defines %s holds the statement of its source file',
    (_name, o) => {
      const newest = newestDefinition(MIGRATIONS_DIR, o);
      expect(newest, `no migration defines ${o.name}`).not.toBeNull();
      expect(newest!.verb, `${newest!.tag} changes ${o.name} last, and not by its CREATE statement`).toBe('create');
      expectSameSql(newest!.statement!, sourceStatement(o), `${o.name} in drizzle/${newest!.tag}.sql against ${o.file}`);
      expect(newest!.text.includes(WHY_PLACEHOLDER), `drizzle/${newest!.tag}.sql still asks why it exists`).toBe(false);
    },
  );

  describe('in a migrated database', () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(async () => {
      await database?.drop();
    });

    it('like_shares has the source file’s body, options and argument', async () => {
      const expected = functionParts(sourceStatement(likeShares));
      const [found] = await rows<{ body: string; settings: string; args: string }>(
        database.db,
        sql`select p.prosrc as body, coalesce(array_to_string(p.proconfig, ','), '') as settings,
                   pg_get_function_arguments(p.oid) as args
            from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname = 'public' and p.proname = 'like_shares'`,
      );
      expect(found?.args).toBe('p_likes jsonb');
      expect(found!.settings.split(',')).toEqual(expected.settings);
      expectSameSql(found!.body, expected.body, 'the body of like_shares in the database against like-shares.sql');
    });

    it('like_request has the source file’s fields, in order', async () => {
      const fields = /\(([\s\S]*)\)\s*;$/.exec(sourceStatement(likeRequest))![1]!
        .split(',')
        .map((f) => f.trim().split(/\s+/));
      const expected: string[] = [];
      for (const [name, type] of fields) {
        const [canonical] = await rows<{ type: string }>(database.db, sql`select ${type}::regtype::text as type`);
        expected.push(`${name} ${canonical!.type}`);
      }
      const found = await rows<{ field: string }>(
        database.db,
        sql`select a.attname || ' ' || format_type(a.atttypid, a.atttypmod) as field
            from pg_type t join pg_attribute a on a.attrelid = t.typrelid
            where t.typname = 'like_request' and a.attnum > 0 and not a.attisdropped
            order by a.attnum`,
      );
      expect(found.map((r) => r.field)).toEqual(expected);
    });
  });
});
