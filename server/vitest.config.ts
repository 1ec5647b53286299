import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'server',
    include: ['test/**/*.test.ts'],
    // Fault tests start clusters and kill processes: `pnpm test:faults` (server/vitest.faults.config.ts).
    exclude: ['test/faults/**'],
    environment: 'node',
    // Migrates once per run; each test file copies the result (server/test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    // One database per test file; PGlite takes a few seconds to start, real PostgreSQL a moment to create.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
