import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The browser test: builds H5 if stale, boots the real server on a fresh database, drives Chromium. */
export default defineProject({
  root: here,
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['test/e2e/**/*.e2e.test.ts'],
    // A cold H5 build (~50 s on 2 cores) plus server boot happen in beforeAll.
    hookTimeout: 180_000,
    testTimeout: 120_000,
    // Each file boots its own server and browser, and they share one H5 build: one file at a time.
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
  },
});
