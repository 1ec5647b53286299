import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureH5Build } from '../../../scripts/dev/ensure-h5';
import { CHROMIUM, haveChromium, launchChromium, PHONE, startLocalServer, type LocalServer } from '../../../scripts/dev/local-server';
import { S } from '../../src/strings';

/**
 * Two people, two browser contexts, one real server on a fresh database, at a phone's size:
 * A creates a team and shares; B opens the link, double-taps the like (one like leaves), joins
 * and sets a name; A sees the energy, B among the helpers and in the team; the leaderboard lists
 * the team.
 */

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ARTIFACTS = path.join(REPO_ROOT, '.e2e-artifacts');

if (!haveChromium()) {
  // A laptop with only Node can still run the rest of the suite; CI installs Chromium (.ci/run).
  console.warn(
    `\n${'!'.repeat(72)}\n!! e2e SKIPPED: ${CHROMIUM} is missing. Install it with \`apt-get install -y chromium\`.\n${'!'.repeat(72)}\n`,
  );
}

/** Taro's H5 router keeps earlier pages in the DOM, hidden; only the visible copy counts. */
function visibleText(page: Page, text: string | RegExp): Locator {
  return page.getByText(text, { exact: true }).filter({ visible: true }).first();
}

describe.skipIf(!haveChromium())('share flow in the browser (375×667)', () => {
  let server: LocalServer | undefined;
  let base = '';
  let browser: Browser | undefined;

  beforeAll(async () => {
    const h5Dir = await ensureH5Build({ log: (s) => console.log(`[ensure-h5] ${s}`) });
    server = await startLocalServer({ h5Dir });
    base = server.base;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('A shares; B double-taps the like (one leaves) and joins; A sees the energy, B among helpers and teammates; the leaderboard shows the team', async () => {
    const ctxA = await browser!.newContext(PHONE);
    const ctxB = await browser!.newContext(PHONE);
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
    const likeRequests: string[] = [];
    b.on('request', (r) => {
      if (r.method() === 'POST' && /\/v1\/shares\/[^/]+\/like$/.test(new URL(r.url()).pathname)) likeRequests.push(r.url());
    });
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

      step = 'B double-taps the like: one like leaves, and B sees the success state';
      await visibleText(b, S.share.like).dblclick();
      await visibleText(b, S.share.likeDone).waitFor();
      expect(likeRequests).toHaveLength(1);
      await visibleText(b, S.share.newLikerBonus).waitFor();
      await visibleText(b, S.share.likeGain(20)).waitFor();

      step = 'B joins the team and, offered the profile prompt, sets a name';
      await visibleText(b, S.share.join).click();
      await visibleText(b, S.share.joined).waitFor();
      await b.locator('.profile__nickname input').fill('Bob');
      await visibleText(b, S.profile.save).click();
      await visibleText(b, S.share.next['my-team']).click();
      await visibleText(b, S.team.captain).waitFor();
      const bName = 'Bob';
      await visibleText(b, bName).waitFor();
      expect(likeRequests).toHaveLength(1);

      step = 'A reloads and sees the energy and the new member';
      await a.reload();
      await visibleText(a, `${S.home.teamMembers(2, 5)} · ${S.common.energyValue(20)}`).waitFor({ timeout: 30_000 });
      await expect(a.locator('.progress__value').filter({ visible: true }).allTextContents()).resolves.toEqual([
        S.common.energyValue(20),
        S.common.energyValue(20),
      ]);
      step = "A's home lists B among the helpers";
      await visibleText(a, S.home.helpersCount(1)).waitFor();
      await expect(a.locator('.home__helpers .nut-avatar').filter({ visible: true }).allTextContents()).resolves.toEqual(['B']);

      step = 'A opens the team and sees B';
      await visibleText(a, S.home.viewTeam).click();
      await a.locator('.team__member-name').filter({ hasText: bName }).filter({ visible: true }).first().waitFor();
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
          `page errors: ${errors.join(' | ') || 'none'}\nserver log tail:\n${server?.log().slice(-3000) ?? ''}`,
      );
    } finally {
      await ctxA.close();
      await ctxB.close();
    }
  });
});
