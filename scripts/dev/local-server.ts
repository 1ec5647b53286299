import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions } from 'playwright-core';
import { startServerProcess } from './server-process.js';

/**
 * The real server on a fresh PGlite database and Debian's Chromium, for the browser test and the
 * screenshot walk alike: both drive the H5 build at a phone's size against the same stack.
 */

export const CHROMIUM = '/usr/bin/chromium';

/** A phone the size the issue is judged at: 375×667, touch, 2× pixels. */
export const PHONE: BrowserContextOptions = { viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface LocalServer {
  base: string;
  /** The last 20 000 characters the server printed. */
  log: () => string;
  stop: () => Promise<void>;
}

/** Boots `server/src/server.ts` with the demo seed on a throwaway data dir; `stop` kills it and removes the dir. */
export async function startLocalServer(opts: {
  h5Dir: string;
  port?: number;
  /** On top of the defaults, e.g. JIZAN_PAYMENT_SIMULATOR_AUTOPAY=off for a buyer who has to confirm the sheet. */
  env?: Record<string, string>;
}): Promise<LocalServer> {
  const port = opts.port ?? (await freePort());
  const dataDir = mkdtempSync(path.join(tmpdir(), 'jizan-local-'));
  try {
    const server = await startServerProcess({
      port,
      env: { JIZAN_DATA_DIR: dataDir, JIZAN_H5_DIR: opts.h5Dir, JIZAN_SEED: 'demo', NODE_ENV: 'test', ...opts.env },
      output: 'keep',
    });
    return {
      base: server.base,
      log: server.log,
      stop: async () => {
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
}

export function haveChromium(): boolean {
  return existsSync(CHROMIUM);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}
