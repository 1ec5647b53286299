import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureH5Build } from '../../../scripts/dev/ensure-h5';
import { haveChromium, launchChromium, PHONE, startLocalServer, type LocalServer } from '../../../scripts/dev/local-server';
import { RP, S } from '../../src/strings';

/**
 * A user reaches the demo's first red-packet tier (100 energy) through friends' likes, the last
 * friend on the share landing seeing what the like is for; the user claims it on home, opens the
 * packet, and finds it in "my red packets". Each state is saved to .e2e-artifacts/red-packets/.
 */

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SHOTS = path.join(REPO_ROOT, '.e2e-artifacts', 'red-packets');

function visibleText(page: Page, text: string | RegExp): Locator {
  return page.getByText(text, { exact: true }).filter({ visible: true }).first();
}

/** The API as the friends use it: a dev login, then calls with their token. */
async function call<T>(base: string, user: string, method: string, url: string, body?: unknown): Promise<T> {
  const login = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: `dev:${user}` }) });
  const { token } = (await login.json()) as { token: string };
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${url} as ${user}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

describe.skipIf(!haveChromium())('red packets in the browser (375×667)', () => {
  let server: LocalServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    const h5Dir = await ensureH5Build({ log: (s) => console.log(`[ensure-h5] ${s}`) });
    // No review hold and the jobs in process: the claimed packet is transferred within seconds and
    // waits for 确认收款 on the simulated platform, as it would after the hold.
    server = await startLocalServer({ h5Dir, env: { JIZAN_REWARD_HOLD_MINUTES: '0', JIZAN_JOBS_IN_PROCESS: 'on', JIZAN_JOBS_INTERVAL_MS: '500' } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('friends like a user to 100 energy, the user claims the first tier, opens the packet, confirms its transfer (确认收款) and sees 已到账 in my red packets', async () => {
    const base = server!.base;
    mkdirSync(SHOTS, { recursive: true });
    // Past the page's slide-in and the packet's pop, so each picture shows the state at rest.
    const shot = async (p: Page, name: string) => {
      await p.waitForTimeout(600);
      await p.screenshot({ path: path.join(SHOTS, `${name}.png`) });
    };
    const errors: string[] = [];
    const ctxUser = await browser!.newContext(PHONE);
    const ctxFriend = await browser!.newContext(PHONE);
    const user = await ctxUser.newPage();
    const friend = await ctxFriend.newPage();
    for (const p of [user, friend]) {
      p.on('pageerror', (e) => errors.push(e.message));
      p.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
      });
    }
    let step = 'start';
    try {
      step = 'four friends like the user’s card (80 energy)';
      const { campaigns } = await call<{ campaigns: { id: string }[] }>(base, 'rpuser', 'GET', '/v1/campaigns');
      const campaignId = campaigns[0]!.id;
      const card = await call<{ token: string }>(base, 'rpuser', 'POST', '/v1/shares', { campaignId, kind: 'like' });
      for (let i = 1; i <= 4; i++) await call(base, `rpfriend${i}`, 'POST', `/v1/shares/${card.token}/like`, {});

      step = 'the fifth friend opens the card and sees what the like is for';
      await friend.goto(`${base}/?as=rpfriend5#/pages/share/index?token=${encodeURIComponent(card.token)}`);
      await visibleText(friend, RP.sharer.next(20, '1.88')).waitFor({ timeout: 30_000 });
      await shot(friend, 'share-landing-sharer-progress');
      await visibleText(friend, S.share.like).click();
      await visibleText(friend, S.share.likeDone).waitFor();

      step = 'the user sees the first tier claimable on home';
      await user.goto(`${base}/?as=rpuser#/pages/home/index`);
      await visibleText(user, RP.myEnergy(100)).waitFor({ timeout: 30_000 });
      await visibleText(user, S.home.endsIn).waitFor();
      await user.locator('.rp-ladder').filter({ visible: true }).first().scrollIntoViewIfNeeded();
      await shot(user, 'home-ladder-claimable');

      step = 'the user claims it and opens the packet';
      await visibleText(user, RP.claim).click();
      await visibleText(user, RP.open.tap).waitFor();
      await shot(user, 'open-packet-sealed');
      await visibleText(user, RP.open.tap).click();
      await visibleText(user, '1.88').waitFor();
      await visibleText(user, RP.open.title).waitFor();
      await shot(user, 'open-packet-opened');
      await visibleText(user, RP.open.done).click();
      await visibleText(user, RP.claimed).waitFor();
      await expect(user.locator('.rp-rung--claimed').filter({ visible: true }).count()).resolves.toBe(1);
      await shot(user, 'home-ladder-claimed');

      step = 'the user finds it in my red packets';
      await visibleText(user, RP.myRedPacketsLink).click();
      await visibleText(user, RP.mine.tier(1)).waitFor({ timeout: 30_000 });
      await visibleText(user, `1.88 ${RP.yuanUnit}`).waitFor();
      await shot(user, 'my-red-packets');

      step = 'the transfer waits for 确认收款; the user confirms it in the (simulated) sheet and sees 已到账';
      const confirmButton = user.locator('.mine__confirm').filter({ visible: true });
      for (let i = 0; i < 30 && (await confirmButton.count()) === 0; i++) {
        await user.waitForTimeout(1000);
        await user.reload();
        await visibleText(user, RP.mine.tier(1)).waitFor({ timeout: 30_000 });
      }
      await visibleText(user, RP.mine.delivery.wait_user_confirm).waitFor();
      await shot(user, 'my-red-packets-confirm');
      await confirmButton.click();
      const sheet = user.locator('.taro-modal__content').filter({ visible: true });
      await sheet.getByText(RP.mine.confirmTitle, { exact: true }).waitFor({ timeout: 15_000 });
      await shot(user, 'my-red-packets-confirm-sheet');
      await user.locator('.taro-modal__foot').filter({ visible: true }).getByText(RP.mine.confirm, { exact: true }).click();
      await visibleText(user, RP.mine.delivery.success).waitFor({ timeout: 30_000 });
      await expect(confirmButton.count()).resolves.toBe(0);
      await shot(user, 'my-red-packets-arrived');

      step = 'the rules are one tap from home';
      await user.goto(`${base}/?as=rpuser#/pages/home/index`);
      await visibleText(user, RP.rulesLink).click();
      await visibleText(user, RP.rules.tierLine(100, '1.88')).waitFor({ timeout: 30_000 });
      await shot(user, 'rules');

      expect(errors).toEqual([]);
    } catch (e) {
      await shot(user, `failed-user`).catch(() => undefined);
      await shot(friend, `failed-friend`).catch(() => undefined);
      throw new Error(`red-packet e2e failed at step "${step}" (screenshots in .e2e-artifacts/red-packets/): ${e instanceof Error ? e.message : String(e)}\npage errors: ${errors.join(' | ') || 'none'}\nserver log tail:\n${server!.log().slice(-3000)}`);
    } finally {
      await ctxUser.close();
      await ctxFriend.close();
    }
  });
});
