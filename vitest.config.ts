import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['shared/vitest.config.ts', 'server/vitest.config.ts', 'miniapp/vitest*.config.ts'],
    // Vitest's default leaves one core free, which on a 2-core machine runs the files one by one
    // while each waits on its database half the time: two at once took the PostgreSQL suite from
    // 265 to 199 s and the README's test command from about 410 to 365 s here.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
  },
});
