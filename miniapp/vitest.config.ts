import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Logic, hooks, the API client and presentational components under jsdom. Taro's runtime only
 * works inside its own build, so `@tarojs/*` resolve to small DOM stand-ins here; pages are
 * exercised for real through the H5 build in the browser test (vitest.e2e.config.ts).
 */
export default defineProject({
  root: here,
  resolve: {
    alias: {
      '@tarojs/components': path.join(here, 'test/stubs/taro-components.tsx'),
      '@tarojs/taro': path.join(here, 'test/stubs/taro.ts'),
    },
  },
  esbuild: { jsx: 'automatic' },
  define: { 'process.env.TARO_ENV': JSON.stringify('h5') },
  test: {
    name: 'miniapp',
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['test/e2e/**'],
    // NutUI imports Taro's components and APIs; inlined, its imports go through the aliases above.
    server: { deps: { inline: [/@nutui\//] } },
  },
});
