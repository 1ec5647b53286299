import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `pnpm test:faults`: the server under faults (a throwaway PostgreSQL cluster restarted, server
 * processes killed). Apart from `pnpm test` because it needs root and the PostgreSQL binaries,
 * and starts processes of its own; `.ci/run` runs it after the PostgreSQL suite.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    name: 'faults',
    include: ['test/faults/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
