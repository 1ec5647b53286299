import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migratedPgliteImage, migrateDatabase, openDatabase } from '../src/db/client.js';
import { createScratchDatabase } from '../src/db/scratch.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite data folder on disk (`createTestDatabase` loads it), or null on PostgreSQL. */
    pgliteImage: string | null;
    /** On PostgreSQL: a migrated database each test file's database is created from. */
    templateDatabase: string | null;
  }
}

/**
 * Migrates once per run instead of once per test file: a PGlite image on disk, or a template
 * database on the real PostgreSQL. Every file still gets its own database, copied from it.
 */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.JIZAN_TEST_DATABASE_URL;
  if (!adminUrl) {
    const file = path.join(os.tmpdir(), `jizan-pglite-image-${process.pid}.tar`);
    writeFileSync(file, Buffer.from(await (await migratedPgliteImage()).arrayBuffer()));
    project.provide('pgliteImage', file);
    project.provide('templateDatabase', null);
    return () => rmSync(file, { force: true });
  }
  const template = await createScratchDatabase(adminUrl, { name: `jizan_test_template_${process.pid}`, replace: true });
  const database = await openDatabase({ databaseUrl: template.url, dataDir: '' });
  try {
    await migrateDatabase(database);
  } finally {
    // A template must have no connection open while it is copied.
    await database.close();
  }
  project.provide('pgliteImage', null);
  project.provide('templateDatabase', template.name);
  return () => template.drop();
}
