import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureH5Build } from '../../../scripts/dev/ensure-h5';
import { RP, S } from '../../src/strings';

/**
 * Two people, two browser contexts, one real server on a fresh database, at a phone's size:
 * A creates a team and shares; B opens the link, likes and joins; A sees the energy and the new
 * member; the leaderboard lists the team.
 */

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(REPO_ROOT, '.e2e-artifacts');
const haveChromium = existsSync(CHROMIUM);

if (!haveChromium) {
  // A laptop with only Node can still run the rest of the suite; CI installs Chromium (.ci/run).
  console.warn(
    `\n${'!'.repeat(72)}\n!! e2e SKIPPED: ${CHROMIUM} is missing. Install it with \`apt-get install -y chromium\`.\n${'!'.repeat(72)}\n`,
  );
}

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
  const deadline = Date.now() + 60_000;
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
  throw new Error(`server did not answer /healthz within 60 s:\n${log()}`);
}

/** Taro's H5 router keeps earlier pages in the DOM, hidden; only the visible copy counts. */
function visibleText(page: Page, text: string | RegExp): Locator {
  return page.getByText(text, { exact: true }).filter({ visible: true }).first();
}

describe.skipIf(!haveChromium)('share flow in the browser (375×667)', () => {
  let server: ChildProcess | undefined;
  let serverLog = '';
  let dataDir = '';
  let base = '';
  let browser: Browser | undefined;

  beforeAll(async () => {
    const h5Dir = await ensureH5Build({ log: (s) => console.log(`[ensure-h5] ${s}`) });
    const port = await freePort();
    dataDir = mkdtempSync(path.join(tmpdir(), 'jizan-e2e-'));
    base = `http://127.0.0.1:${port}`;
    server = spawn(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['server/src/server.ts'], {
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
    await waitForHealth(base, server, () => serverLog);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      const timer = setTimeout(() => server?.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('A shares, B likes and joins, A sees the energy and the new member, the leaderboard shows the team', async () => {
    const phone = { viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
    const ctxA = await browser!.newContext(phone);
    const ctxB = await browser!.newContext(phone);
    const a = await ctxA.newPage();
    const b = await ctxB.newPage();
    const errors: string[] = [];
    for (const [who, p] of [['A', a], ['B', b]] as const) {
      p.on('pageerror', (e) => errors.push(`${who}: ${e.message}`));
      // Web-component render errors only reach the console; failed requests (favicon) are not bugs here.
      p.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`${who} console: ${m.text()}`);
      });
    }
    let step = 'start';

    try {
      step = 'A opens the campaign home';
      await a.goto(`${base}/?as=alice#/pages/home/index`);
      await expect.poll(() => visibleText(a, S.home.shareLike).isVisible(), { timeout: 30_000 }).toBe(true);

      step = 'A creates a team, setting a nickname when offered';
      await a.locator('.home__create-input input').fill('冲鸭队');
      await visibleText(a, S.home.createTeam).click();
      await a.locator('.profile__nickname input').fill('Alice');
      await visibleText(a, S.profile.save).click();
      await visibleText(a, S.home.viewTeam).waitFor();
      await visibleText(a, '冲鸭队').waitFor();

      step = 'A shares an invite and gets a link';
      await visibleText(a, S.home.shareTeam).click();
      const link = (await a.locator('.share__link-url').filter({ visible: true }).first().textContent())?.trim() ?? '';
      expect(link).toMatch(new RegExp(`^${base}/#/pages/share/index\\?token=`));

      step = 'B opens the link';
      await b.goto(link.replace(`${base}/#`, `${base}/?as=bob#`));
      await visibleText(b, S.share.teamReason('Alice', '冲鸭队')).waitFor({ timeout: 30_000 });

      step = 'B likes and sees the success state';
      await visibleText(b, S.share.like).click();
      await visibleText(b, S.share.likeDone).waitFor();
      await visibleText(b, S.share.newLikerBonus).waitFor();
      await visibleText(b, S.share.likeGain(20)).waitFor();

      step = 'B joins the team';
      await visibleText(b, S.share.join).click();
      await visibleText(b, S.share.joined).waitFor();
      await visibleText(b, S.share.viewMyTeam).click();
      await visibleText(b, S.team.captain).waitFor();
      const bName = (await b.locator('.team__member-name').filter({ visible: true }).allTextContents()).find((n) => n !== 'Alice');
      expect(bName).toBeTruthy();

      step = 'A reloads and sees the energy and the new member';
      await a.reload();
      await visibleText(a, `${S.home.teamMembers(2, 5)} · ${S.common.energyValue(20)}`).waitFor({ timeout: 30_000 });
      await expect(a.locator('.progress__value').filter({ visible: true }).allTextContents()).resolves.toEqual([S.common.energyValue(20)]);
      await visibleText(a, RP.myEnergy(20)).waitFor();
      await visibleText(a, S.home.viewTeam).click();
      await visibleText(a, bName!).waitFor();
      await expect(a.locator('.team__member').filter({ visible: true }).count()).resolves.toBe(2);

      step = 'the leaderboard shows the team, with A’s own rank pinned';
      await a.goto(`${base}/?as=alice#/pages/leaderboard/index`);
      await a.locator('.board__list').filter({ hasText: '冲鸭队' }).first().waitFor({ timeout: 30_000 });
      await expect(a.locator('.board__mine').filter({ visible: true }).first().textContent()).resolves.toContain('冲鸭队');

      expect(errors).toEqual([]);
    } catch (e) {
      mkdirSync(ARTIFACTS, { recursive: true });
      const slug = step.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      await a.screenshot({ path: path.join(ARTIFACTS, `share-flow-${slug}-A.png`), fullPage: true }).catch(() => undefined);
      await b.screenshot({ path: path.join(ARTIFACTS, `share-flow-${slug}-B.png`), fullPage: true }).catch(() => undefined);
      const detail = e instanceof Error ? e.message : String(e);
      throw new Error(
        `e2e failed at step "${step}" (screenshots in .e2e-artifacts/): ${detail}\n` +
          `page errors: ${errors.join(' | ') || 'none'}\nserver log tail:\n${serverLog.slice(-3000)}`,
      );
    } finally {
      await ctxA.close();
      await ctxB.close();
    }
  });
});
