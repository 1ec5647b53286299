import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S } from '../../src/strings';
import { failedAt, haveChromium, startStack, visibleText, threePhones, type Stack } from './harness';

/**
 * Three people at a phone's size on a fresh demo: A opens a group of 3 from the campaign home and
 * shares it; B and C each join from the card at the group price; the group shows success for all three.
 */

const PRODUCT = '双11 限定保温杯 500ml';
const GROUP_PRICE = '59';

describe.skipIf(!haveChromium)('group buy in the browser (375×667)', () => {
  let stack: Stack | undefined;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('A opens a group, B and C join from the card, the group shows success for all three, and A\'s inbox says 拼团成功', async () => {
    const base = stack!.base;
    const { a, b, c, pages, errors, close } = await threePhones(stack!);
    let step = 'start';

    const joinFromCard = async (p: Page, as: string, link: string) => {
      await p.goto(link.replace(`${base}/#`, `${base}/?as=${as}#`));
      await visibleText(p, S.groupbuy.cardHeadline('Alice', PRODUCT)).waitFor({ timeout: 30_000 });
      const button = visibleText(p, S.groupbuy.joinFromCard(GROUP_PRICE));
      // A double tap places one order: the second tap lands while the first is in flight.
      await button.dblclick();
      await visibleText(p, S.groupbuy.joinedFromCard).waitFor();
    };

    try {
      step = 'A goes from the campaign home to the product';
      await a.goto(`${base}/?as=alice-gb#/pages/home/index`);
      await visibleText(a, S.groupbuy.entryAction).click({ timeout: 30_000 });
      await visibleText(a, PRODUCT).click({ timeout: 30_000 });
      await visibleText(a, S.groupbuy.openGroupsTitle).waitFor();

      step = 'A opens a group and lands on it: two seats missing';
      await visibleText(a, `${S.groupbuy.openGroup} ¥${GROUP_PRICE}`).click();
      await a.locator('.group__missing').filter({ visible: true, hasText: S.groupbuy.seatsMissing(2) }).first().waitFor({ timeout: 30_000 });
      await expect(a.locator('.seats__empty').filter({ visible: true }).count()).resolves.toBe(2);

      step = 'A shares the group, setting a nickname when offered';
      await visibleText(a, S.groupbuy.shareGroup).click();
      await a.locator('.profile__nickname input').fill('Alice');
      await visibleText(a, S.profile.save).click();
      const link = (await a.locator('.share__link-url').filter({ visible: true }).first().textContent())?.trim() ?? '';
      expect(link).toMatch(new RegExp(`^${base}/#/pages/share/index\\?token=`));

      step = 'B joins from the card';
      await joinFromCard(b, 'bob-gb', link);
      await visibleText(b, S.groupbuy.seatsMissing(1)).waitFor();

      step = 'C joins from the card and the group succeeds';
      await joinFromCard(c, 'carol-gb', link);
      await visibleText(c, S.groupbuy.statusSucceeded).waitFor();

      step = 'every member sees the success on the group page';
      await visibleText(a, S.groupbuy.statusSucceeded).waitFor({ timeout: 15_000 });
      for (const p of [b, c]) {
        await visibleText(p, S.groupbuy.viewMyGroup).click();
        await visibleText(p, S.groupbuy.statusSucceeded).waitFor({ timeout: 15_000 });
        await visibleText(p, S.groupbuy.succeededLine).waitFor();
        await expect(p.locator('.seats__seat').filter({ visible: true }).count()).resolves.toBe(3);
      }

      step = "B's orders: one order, grouped";
      await b.locator('.link-row').filter({ visible: true }).getByText(S.groupbuy.myOrders, { exact: true }).click();
      await visibleText(b, '拼团成功，待发货').waitFor({ timeout: 15_000 });
      await expect(b.locator('.orders__item').filter({ visible: true }).count()).resolves.toBe(1);

      step = 'A goes home, sees an unread message and reads 拼团成功 in the inbox';
      await a.goto(`${base}/?as=alice-gb#/pages/home/index`);
      const badge = a.locator('.inbox-badge').filter({ visible: true });
      await badge.locator('.inbox-badge__count').filter({ hasText: '1' }).waitFor({ timeout: 30_000 });
      await badge.click();
      await visibleText(a, '拼团成功').waitFor({ timeout: 15_000 });
      await expect(a.getByText(`${PRODUCT}已成团，商品即将发货`, { exact: true }).filter({ visible: true }).count()).resolves.toBe(1);

      expect(errors).toEqual([]);
    } catch (e) {
      throw await failedAt('group-buy', step, pages, e, errors, stack!.log());
    } finally {
      await close();
    }
  });
});
