import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { ensureH5Build } from '../../../scripts/dev/ensure-h5';
import { CHROMIUM, haveChromium as chromiumPresent, launchChromium, PHONE, startLocalServer } from '../../../scripts/dev/local-server';

/**
 * What every browser test shares: the server and Chromium of scripts/dev/local-server.ts (the
 * screenshot walk boots the same stack), plus the steps and failure report of a test.
 */

export { PHONE } from '../../../scripts/dev/local-server';
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const ARTIFACTS = path.join(REPO_ROOT, '.e2e-artifacts');
export const haveChromium = chromiumPresent();

if (!haveChromium) {
  // A laptop with only Node can still run the rest of the suite; CI installs Chromium (.ci/run).
  console.warn(
    `\n${'!'.repeat(72)}\n!! e2e SKIPPED: ${CHROMIUM} is missing. Install it with \`apt-get install -y chromium\`.\n${'!'.repeat(72)}\n`,
  );
}

/** Taro's H5 router keeps earlier pages in the DOM, hidden; only the visible copy counts. */
export function visibleText(page: Page, text: string | RegExp): Locator {
  return page.getByText(text, { exact: true }).filter({ visible: true }).first();
}

/**
 * Starts keeping every text the page shows from now on, so a toast that came and went while the
 * machine was too busy for a locator to poll in time is still seen: `shown(re)` waits until one matched.
 */
export async function recordTexts(page: Page): Promise<{ shown: (re: RegExp) => Promise<void> }> {
  await page.evaluate(() => {
    const w = window as unknown as { __texts?: string[] };
    w.__texts = [];
    new MutationObserver((changes) => {
      for (const c of changes) {
        const node = c.type === 'characterData' ? c.target.parentElement : (c.target as Element);
        const text = node?.textContent?.trim();
        if (text) w.__texts!.push(text);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return {
    shown: async (re) => {
      await page.waitForFunction(
        ([source, flags]) => ((window as unknown as { __texts?: string[] }).__texts ?? []).some((t) => new RegExp(source!, flags).test(t)),
        [re.source, re.flags],
        { timeout: 30_000 },
      );
    },
  };
}

export interface Stack {
  base: string;
  browser: Browser;
  log(): string;
  close(): Promise<void>;
}

/** Builds H5 if stale, boots the server (demo seed, test env) on a fresh data folder, launches Chromium. */
export async function startStack(opts: { env?: Record<string, string>; port?: number } = {}): Promise<Stack> {
  const h5Dir = await ensureH5Build({ log: (s) => console.log(`[ensure-h5] ${s}`) });
  const server = await startLocalServer({ h5Dir, ...(opts.env ? { env: opts.env } : {}), ...(opts.port ? { port: opts.port } : {}) });
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (e) {
    await server.stop();
    throw e;
  }
  const close = async () => {
    await browser.close();
    await server.stop();
  };
  return { base: server.base, browser, log: server.log, close };
}

/** Collects page errors and console errors (not failed resource loads such as a favicon) of each named page. */
/** Three phones (A, B, C) on one stack, each in a browser context of its own, their page errors watched; `close` ends them. */
export async function threePhones(stack: Stack) {
  const contexts = await Promise.all([0, 1, 2].map(() => stack.browser.newContext(PHONE)));
  const [a, b, c] = (await Promise.all(contexts.map((x) => x.newPage()))) as [Page, Page, Page];
  const pages = { A: a, B: b, C: c };
  return {
    a,
    b,
    c,
    pages,
    errors: watchErrors(pages),
    close: async () => {
      for (const x of contexts) await x.close();
    },
  };
}

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
