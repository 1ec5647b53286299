import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RP, S } from '../../src/strings';
import { failedAt, haveChromium, PHONE, startStack, visibleText, watchErrors, type Stack } from './harness';

/**
 * Two people, two browser contexts, one real server on a fresh database, at a phone's size:
 * A creates a team and shares; B opens the link, double-taps the like (one like leaves), joins
 * and sets a name; A sees the energy, B among the helpers and in the team; the leaderboard lists
 * the team.
 */

describe.skipIf(!haveChromium)('share flow in the browser (375×667)', () => {
  let stack: Stack | undefined;
  let base = '';

  beforeAll(async () => {
    stack = await startStack();
    base = stack.base;
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('A shares; B double-taps the like (one leaves) and joins; A sees the energy, B among helpers and teammates; the leaderboard shows the team', async () => {
    const ctxA = await stack!.browser.newContext(PHONE);
    const ctxB = await stack!.browser.newContext(PHONE);
    const a = await ctxA.newPage();
    const b = await ctxB.newPage();
    // Web-component render errors only reach the console, so both are watched.
    const errors = watchErrors({ A: a, B: b });
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
      await expect(a.locator('.progress__value').filter({ visible: true }).allTextContents()).resolves.toEqual([S.common.energyValue(20)]);
      await visibleText(a, RP.myEnergy(20)).waitFor();
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
      throw await failedAt('share-flow', step, { A: a, B: b }, e, errors, stack!.log());
    } finally {
      await ctxA.close();
      await ctxB.close();
    }
  });
});
