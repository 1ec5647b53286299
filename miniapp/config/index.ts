import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

const isH5 = process.env.TARO_ENV === 'h5';

// Taro only reads TARO_APP_* from .env files, not from the shell; injecting it here lets
// `TARO_APP_API_BASE= taro build --type h5` (same origin) and a weapp default coexist.
// An empty value is meaningful on H5 (same origin) but not in the chat app, which needs a host.
const envApiBase = process.env.TARO_APP_API_BASE;
const apiBase = isH5 ? (envApiBase ?? '') : envApiBase || 'http://localhost:3000';

export default defineConfig(() => {
  const config: UserConfigExport = {
    projectName: 'jizan',
    date: '2025-11-26',
    // Styles are written in px for a 375-wide phone; Taro turns them into rpx (weapp) or rem (h5).
    designWidth: 375,
    deviceRatio: { 375: 2, 640: 2.34 / 2, 750: 1, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${process.env.TARO_ENV ?? 'weapp'}`,
    plugins: [],
    framework: 'react',
    // Not the vite runner: its h5 bundle carries two copies of Taro's React runtime and fails at
    // run time once `useLaunch` is used. Prebundle needs network-free esbuild caches that gain
    // nothing on a 2-core box.
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    env: { TARO_APP_API_BASE: JSON.stringify(apiBase) },
    cache: { enable: false },
    mini: {
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      // The workspace contract package is TypeScript under node_modules; Taro skips it otherwise.
      compile: { include: [path.resolve(__dirname, '..', '..', 'shared', 'src')] },
      // A module only subpackage pages import goes into that subpackage, not the main package's common.js.
      optimizeMainPackage: { enable: true },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      // Hash routing: the server only needs to serve index.html at `/`, and a copied share link
      // (`/#/pages/share/index?token=…`) opens the landing page directly.
      router: { mode: 'hash' },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      compile: { include: [path.resolve(__dirname, '..', '..', 'shared', 'src')] },
      // Taro's H5 router loads each page's code on first visit; offline, that load fails and the
      // tap changes the URL with nothing on screen. One chunk means every page is there once the
      // app is: a page opened offline shows its own "网络不给力" with a way on.
      webpackChain(chain, webpack) {
        chain.plugin('one-chunk').use(webpack.optimize.LimitChunkCountPlugin, [{ maxChunks: 1 }]);
      },
    },
  };
  return config;
});
