import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S } from '../../src/strings';
import { freePort } from '../../../scripts/dev/local-server';
import { startWechatPaySimProcess, type SimProcess } from '../../../scripts/dev/wechatpay-sim-process';
import { failedAt, haveChromium, recordTexts, REPO_ROOT, startStack, visibleText, threePhones, type Stack } from './harness';

/**
 * The pay sheet as a buyer meets it, on the real provider's path: the server runs with
 * JIZAN_PAYMENT_PROVIDER=wechatpay against the WeChat Pay simulator in a process of its own
 * (its merchant.env, notifications over HTTP; the other browser tests use the in-process one),
 * whose buyer waits for each sheet to be confirmed. A opens a group of 3, closes the sheet, and pays later from the
 * group page; B and C join from the product page's open groups and confirm their sheets; the group
 * succeeds for all three. The sheet and both 去支付 buttons are kept in shots/ to be looked at.
 */

const PRODUCT = '双11 限定保温杯 500ml';
const GROUP_PRICE = '59';
const SHOTS = path.join(REPO_ROOT, 'shots');

describe.skipIf(!haveChromium)('pay sheet in the browser (375×667)', () => {
  let stack: Stack | undefined;
  let sim: SimProcess | undefined;
  const keys = mkdtempSync(path.join(tmpdir(), 'jizan-e2e-wechatpay-'));

  beforeAll(async () => {
    const port = await freePort();
    sim = await startWechatPaySimProcess({ port: await freePort(), dir: keys, notifyUrl: `http://127.0.0.1:${port}/v1/payments/wechatpay/notify` });
    stack = await startStack({ env: sim.env, port });
  });

  afterAll(async () => {
    await stack?.close();
    sim?.stop();
    rmSync(keys, { recursive: true, force: true });
  });

  it('A closes the sheet and pays from the group page, B and C pay as they join, the group succeeds', async () => {
    const base = stack!.base;
    const { a, b, c, pages, errors, close } = await threePhones(stack!);
    let step = 'start';
    mkdirSync(SHOTS, { recursive: true });
    const shot = async (p: Page, name: string) => {
      // The sheet fades in and pages slide in: a picture taken at once catches them half-way.
      await p.waitForTimeout(600);
      await p.screenshot({ path: path.join(SHOTS, `pay-sheet-${name}.png`) });
    };

    const sheet = (p: Page) => p.locator('.taro-modal__content').filter({ visible: true });
    const toProduct = async (p: Page, as: string) => {
      await p.goto(`${base}/?as=${as}#/pages/home/index`);
      await visibleText(p, S.groupbuy.entryAction).click({ timeout: 30_000 });
      await visibleText(p, PRODUCT).click({ timeout: 30_000 });
      await visibleText(p, S.groupbuy.openGroupsTitle).waitFor();
    };
    const confirmSheet = async (p: Page) => {
      await sheet(p).getByText(S.groupbuy.simulatedSheetTitle, { exact: true }).waitFor({ timeout: 15_000 });
      await expect(sheet(p).getByText(S.groupbuy.simulatedSheetBody(GROUP_PRICE), { exact: true }).count()).resolves.toBe(1);
      await sheet(p).getByText(S.groupbuy.simulatedSheetPay, { exact: true }).click();
      await visibleText(p, S.groupbuy.paid).waitFor();
    };
    const joinFromProduct = async (p: Page, as: string) => {
      await toProduct(p, as);
      const row = p.locator('.product__group').filter({ visible: true, hasText: S.groupbuy.openerOf('Alice') });
      await row.getByText(S.groupbuy.joinThis, { exact: true }).click();
      await confirmSheet(p);
    };

    try {
      step = 'A opens a group and the simulated sheet asks for ¥59';
      await toProduct(a, 'alice-ps');
      await visibleText(a, `${S.groupbuy.openGroup} ¥${GROUP_PRICE}`).click();
      await sheet(a).getByText(S.groupbuy.simulatedSheetTitle, { exact: true }).waitFor({ timeout: 15_000 });
      await shot(a, 'sheet-open');

      step = 'A closes the sheet: told the order stays payable, the group waits for the opener';
      const texts = await recordTexts(a);
      await sheet(a).getByText('取消', { exact: true }).click();
      await texts.shown(/已取消支付，.+ 前仍可在订单里继续支付/);
      await visibleText(a, S.groupbuy.statusPending).waitFor({ timeout: 15_000 });
      const payOnGroup = a.locator('.btn--primary').filter({ visible: true, hasText: S.groupbuy.payNow });
      await payOnGroup.waitFor();
      await shot(a, 'group-pay-button');

      step = "A's orders show the unpaid order with 去支付";
      await a.locator('.link-row').filter({ visible: true }).getByText(S.groupbuy.myOrders, { exact: true }).click();
      await a.locator('.orders__pay').filter({ visible: true }).waitFor({ timeout: 15_000 });
      await visibleText(a, '待付款').waitFor();
      await a.locator('.orders__item').filter({ visible: true, hasText: S.groupbuy.amountDue(GROUP_PRICE) }).waitFor();
      await shot(a, 'orders-pay-button');
      await a.goBack();

      step = 'A pays from the group page: the group opens with two seats missing';
      await payOnGroup.click();
      await confirmSheet(a);
      await visibleText(a, S.groupbuy.statusOpen).waitFor({ timeout: 15_000 });
      await a.locator('.group__missing').filter({ visible: true, hasText: S.groupbuy.seatsMissing(2) }).first().waitFor();
      await expect(payOnGroup.count()).resolves.toBe(0);

      step = 'A sets a nickname so friends can tell the group apart';
      await visibleText(a, S.groupbuy.shareGroup).click();
      await a.locator('.profile__nickname input').fill('Alice');
      await visibleText(a, S.profile.save).click();
      await a.locator('.share__link-url').filter({ visible: true }).first().waitFor();

      step = 'B joins from the product page and pays in the sheet';
      await joinFromProduct(b, 'bob-ps');
      await visibleText(b, S.groupbuy.seatsMissing(1)).waitFor({ timeout: 15_000 });

      step = 'C joins from the product page, pays, and the group succeeds';
      await joinFromProduct(c, 'carol-ps');
      await visibleText(c, S.groupbuy.statusSucceeded).waitFor({ timeout: 15_000 });

      step = 'every member sees the success on the group page';
      for (const p of [a, b, c]) {
        await visibleText(p, S.groupbuy.statusSucceeded).waitFor({ timeout: 15_000 });
        await visibleText(p, S.groupbuy.succeededLine).waitFor();
        await expect(p.locator('.seats__seat').filter({ visible: true }).count()).resolves.toBe(3);
        await expect(p.locator('.btn--primary').filter({ visible: true, hasText: S.groupbuy.payNow }).count()).resolves.toBe(0);
      }

      expect(errors).toEqual([]);
    } catch (e) {
      throw await failedAt('pay-sheet', step, pages, e, errors, stack!.log());
    } finally {
      await close();
    }
  });
});
