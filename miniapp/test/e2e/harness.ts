import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { ensureH5Build } from '../../../scripts/dev/ensure-h5';

/** What every browser test shares: a real server on a fresh database serving the H5 build, and Chromium. */

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.join(REPO_ROOT, '.e2e-artifacts');
export const haveChromium = existsSync(CHROMIUM);

if (!haveChromium) {
  // A laptop with only Node can still run the rest of the suite; CI installs Chromium (.ci/run).
  console.warn(
    `\n${'!'.repeat(72)}\n!! e2e SKIPPED: ${CHROMIUM} is missing. Install it with \`apt-get install -y chromium\`.\n${'!'.repeat(72)}\n`,
  );
}

/** A phone's window: 375×667 at 2×, touch. */
export const PHONE = { viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHealth(base: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 120_000; // a loaded 2-core machine boots PGlite, migrates and seeds slowly
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server did not answer /healthz within 120 s:\n${log()}`);
}

/** Taro's H5 router keeps earlier pages in the DOM, hidden; only the visible copy counts. */
export function visibleText(page: Page, text: string | RegExp): Locator {
  return page.getByText(text, { exact: true }).filter({ visible: true }).first();
}

export interface Stack {
  base: string;
  browser: Browser;
  log(): string;
  close(): Promise<void>;
}

/** Builds H5 if stale, boots the server (demo seed, test env) on a fresh data folder, launches Chromium. */
export async function startStack(): Promise<Stack> {
  const h5Dir = await ensureH5Build({ log: (s) => console.log(`[ensure-h5] ${s}`) });
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'jizan-e2e-'));
  const base = `http://127.0.0.1:${port}`;
  let serverLog = '';
  const server = spawn(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['server/src/server.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      JIZAN_DATA_DIR: dataDir,
      JIZAN_H5_DIR: h5Dir,
      JIZAN_SEED: 'demo',
      NODE_ENV: 'test',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (b: Buffer) => {
    serverLog = (serverLog + b.toString()).slice(-20_000);
  };
  server.stdout?.on('data', collect);
  server.stderr?.on('data', collect);
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      const timer = setTimeout(() => server.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(base, server, () => serverLog);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  } catch (e) {
    await close();
    throw e;
  }
  return { base, browser, log: () => serverLog, close };
}

/** Collects page errors and console errors (not failed resource loads such as a favicon) of each named page. */
export function watchErrors(pages: Record<string, Page>): string[] {
  const errors: string[] = [];
  for (const [who, p] of Object.entries(pages)) {
    p.on('pageerror', (e) => errors.push(`${who}: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`${who} console: ${m.text()}`);
    });
  }
  return errors;
}

/** On failure: a screenshot of every page into .e2e-artifacts/, and an error naming the step. */
export async function failedAt(
  test: string,
  step: string,
  pages: Record<string, Page>,
  e: unknown,
  errors: string[],
  serverLog: string,
): Promise<Error> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const slug = step.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  for (const [who, p] of Object.entries(pages)) {
    await p.screenshot({ path: path.join(ARTIFACTS, `${test}-${slug}-${who}.png`), fullPage: true }).catch(() => undefined);
  }
  const detail = e instanceof Error ? e.message : String(e);
  return new Error(
    `e2e failed at step "${step}" (screenshots in .e2e-artifacts/): ${detail}\n` +
      `page errors: ${errors.join(' | ') || 'none'}\nserver log tail:\n${serverLog.slice(-3000)}`,
  );
}
