import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createScratchDatabase } from '../../src/db/scratch.js';
import { REAL_PG_URL, testConfig } from '../helper.js';

/** A brand-new empty database (no migrations), dropped by the returned function. */
const freshDatabase = () => createScratchDatabase(REAL_PG_URL!, { prefix: 'jizan_test_boot' });

describe.skipIf(!REAL_PG_URL)('instances started at the same moment (real PostgreSQL)', () => {
  it('three instances booting together on a fresh database all come up, with one demo campaign between them', async () => {
    const fresh = await freshDatabase();
    const config = testConfig({ DATABASE_URL: fresh.url, JIZAN_SEED: 'demo' });
    const apps = await Promise.all([0, 1, 2].map(() => buildApp({ config, logger: false })));
    try {
      for (const app of apps) {
        const ready = await app.inject({ method: 'GET', url: '/readyz' });
        expect(ready.statusCode).toBe(200);
        expect(ready.json()).toEqual({ ok: true, database: 'postgres' });
      }
      const db = new pg.Client({ connectionString: fresh.url });
      await db.connect();
      const { rows } = await db.query<{ n: number }>("select count(*)::int as n from campaigns where slug = 'demo'");
      const teams = await db.query<{ n: number }>('select count(*)::int as n from teams');
      await db.end();
      expect(rows[0]!.n).toBe(1);
      expect(teams.rows[0]!.n).toBe(3); // seeded once, not once per instance
    } finally {
      await Promise.all(apps.map((app) => app.close()));
      await fresh.drop();
    }
  });
});
