import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, haveChromium, launchChromium } from '../../../scripts/dev/local-server.js';
import { REPO_ROOT } from '../../src/config.js';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/client.js';
import { refreshRollups } from '../../src/modules/insights/insights.service.js';
import { payoutsFor } from '../../src/modules/redpackets/payouts.js';
import { runTransfers } from '../../src/modules/redpackets/transfers.service.js';
import { campaign, createTeam, login, share, T0, testApp, testConfig, unique, type Client } from '../helper.js';
import { product } from '../modules/groupbuy/fixtures.js';

/**
 * The operators' dashboard in Chromium against the real server, like the mini-program's browser
 * test (same Chromium, same launch): paste the key, then read the overview's numbers, the funnel
 * chart's bars, the retention heat map, the top inviters and the fraud queue, at a phone's width and
 * a desktop's (screenshots in .e2e-artifacts/); then release and void rewards from the review queue.
 *
 * World (T0, one campaign): A founds 星河 and shares a card; B and C open it and like, and so do
 * F1–F4, four accounts on one phone. 6 likes, 1 card, 6 opens by 6 openers, all brought by A.
 * A's 120 energy claims the three cash rungs and the 5 元 coupon rung, and opens a group buy with
 * the coupon (¥19.90 − ¥5.00). The scan flags F1–F4; when the 30-minute hold is over, A's three
 * cash rewards go to review: 4 of A's 6 likes came from flagged accounts.
 */
const ADMIN_KEY = 'dashboard-admin-key-0123456789';
const ARTIFACTS = path.join(REPO_ROOT, '.e2e-artifacts');
const ctx = testApp({ config: { JIZAN_ADMIN_KEY: ADMIN_KEY } });
let base = '';
let browser: Browser | undefined;
let campaignId = '';
let a: Client;
const tiers = [
  { energy: 20, amount: 188 },
  { energy: 40, amount: 500, reward: 'coupon' as const, coupon: { minSpend: 1000, validDays: 7 } },
  { energy: 60, amount: 588 },
  { energy: 100, amount: 888 },
];
const adminCall = (method: 'GET' | 'POST', url: string, payload?: object) =>
  ctx.app.inject({ method, url: `/admin/v1${url}`, headers: { authorization: `Bearer ${ADMIN_KEY}` }, ...(payload ? { payload } : {}) });

if (!haveChromium()) {
  // A laptop with only Node still runs the rest of the suite; CI installs Chromium (.ci/run).
  console.warn(`\n${'!'.repeat(72)}\n!! admin dashboard browser test SKIPPED: ${CHROMIUM} is missing (apt-get install -y chromium).\n${'!'.repeat(72)}\n`);
}

/** The operator's first visit: the key form, then the board. */
async function signIn(page: Page, url = `${base}/admin/?campaign=${campaignId}`) {
  await page.goto(url);
  expect(await page.locator('#board').isHidden()).toBe(true);
  await page.fill('#key', ADMIN_KEY);
  await page.click('#key-form button[type=submit]');
  await page.waitForSelector(`body[data-loaded="${campaignId}"]`, { timeout: 20_000 });
}

/** How the page lays a table's cells out: text-align per column of its first data row. */
function alignments(page: Page, tableId: string): Promise<string[]> {
  return page.evaluate((id) => {
    const w = globalThis as unknown as {
      document: { querySelectorAll(s: string): ArrayLike<unknown> };
      getComputedStyle(e: unknown): { textAlign: string };
    };
    return Array.from(w.document.querySelectorAll(`#${id} tr:nth-child(2) td`)).map((td) => w.getComputedStyle(td).textAlign);
  }, tableId);
}

const reviewRows = async (page: Page) => (await page.locator('#rewards tr').allInnerTexts()).slice(1).map((t) => t.replace(/\s+/g, ' '));

async function loginOn(deviceId: string) {
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { code: `dev:${unique('f')}` }, headers: { 'x-device-id': deviceId } });
  const { token } = res.json() as { token: string };
  const call = (method: 'GET' | 'POST', url: string) => ctx.app.inject({ method, url, headers: { authorization: `Bearer ${token}` } });
  return { get: (url: string) => call('GET', url), post: (url: string) => call('POST', url) };
}

beforeAll(async () => {
  const c = await campaign(ctx, { name: '双11 集赞看板', rules: { redPacketTiers: tiers, redPacketBudget: 10_000 } });
  campaignId = c.id;
  a = await login(ctx);
  await createTeam(a, c.id, '星河');
  const token = await share(a, c.id);
  const phone = unique('phone');
  const friends = [await loginOn(unique('b')), await loginOn(unique('c'))];
  for (let i = 0; i < 4; i++) friends.push(await loginOn(phone));
  // One friend scanned the poster's code and one came from Moments; the rest tapped the card in a chat.
  const channels = ['card', 'poster', 'moments'];
  for (const [i, friend] of friends.entries()) {
    expect((await friend.get(`/v1/shares/${token}${channels[i] && i > 0 ? `?channel=${channels[i]}` : ''}`)).statusCode).toBe(200);
    expect((await friend.post(`/v1/shares/${token}/like`)).statusCode).toBe(200);
  }
  let couponId = '';
  for (const tier of [1, 2, 3, 4]) {
    const claim = await a.post('/v1/redpackets/claim', { campaignId: c.id, tier });
    expect(claim.statusCode, claim.body).toBe(201);
    if (tier === 2) couponId = claim.json().coupon.id;
  }
  const opened = await a.post('/v1/groups', { productId: (await product(ctx, { campaignId: c.id })).id, couponId });
  expect(opened.statusCode, opened.body).toBe(201);
  await ctx.app.deps.shareOpens.flush(); // opens are written in batches; the rollup reads the table
  await refreshRollups({ db: ctx.database.db, clock: ctx.clock }, c.id);
  const scan = await ctx.app.inject({ method: 'POST', url: '/admin/v1/fraud/scan', headers: { authorization: `Bearer ${ADMIN_KEY}` }, payload: { campaignId: c.id } });
  expect(scan.statusCode, scan.body).toBe(200);
  ctx.clock.set(new Date(T0.getTime() + 31 * 60_000));
  const payouts = payoutsFor({ config: testConfig(), db: ctx.database.db, clock: ctx.clock });
  expect(await runTransfers(payouts)).toMatchObject({ reviewed: 3, flagged: 3 });
  base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  if (haveChromium()) browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

/** The numbers a Chart.js chart drew, per dataset, read from the chart itself. */
function chartData(page: Page, id: string): Promise<number[][]> {
  return page.evaluate((canvasId) => {
    // Runs in the page (this package's types have no DOM).
    const w = globalThis as unknown as {
      Chart: { getChart(c: unknown): { data: { datasets: { data: number[] }[] } } | undefined };
      document: { getElementById(id: string): unknown };
    };
    const chart = w.Chart.getChart(w.document.getElementById(canvasId));
    return chart ? chart.data.datasets.map((d) => d.data) : [];
  }, id);
}

describe.skipIf(!haveChromium())('operator dashboard at /admin/', () => {
  for (const [label, viewport] of [
    ['phone', { width: 375, height: 667 }],
    ['desktop', { width: 1280, height: 900 }],
  ] as const) {
    it(`asks for the key once, then shows the campaign (${label})`, async () => {
      const page = await browser!.newPage({ viewport });
      const failed: string[] = [];
      page.on('pageerror', (e) => failed.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') failed.push(m.text());
      });
      await signIn(page);

      // Overview: 6 likes, 1 team, 1 card, 6 opens.
      const cards = (await page.locator('#overview .card').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
      expect(cards).toEqual(expect.arrayContaining(['6 点赞', '1 队伍', '1 分享卡片', '6 打开']));
      // The coupons: A's one coupon, issued and redeemed on a ¥14.90 order.
      const coupons = (await page.locator('#coupons .card').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
      expect(coupons).toEqual(['1 已发券', '¥5.00 已发面额', '1 已核销', '¥5.00 核销抵扣', '0 已过期', '100.0% 核销率', '¥14.90 带券 GMV']);

      // The funnel as bars: 1 card → 6 opens → 6 openers → 6 liked → nobody joined, bought or paid.
      expect(await chartData(page, 'funnel-chart')).toEqual([[1, 6, 6, 6, 0, 0, 0]]);
      // By channel: each friend counted under the channel of their first open, each liked.
      expect((await page.locator('#channels tr').allInnerTexts()).slice(1).map((t) => t.split(/\t/).map((c) => c.trim()))).toEqual([
        ['聊天卡片', '4', '4', '4 (100.0%)', '0 (0.0%)', '0 (0.0%)', '0 (0.0%)'],
        ['海报小程序码', '1', '1', '1 (100.0%)', '0 (0.0%)', '0 (0.0%)', '0 (0.0%)'],
        ['朋友圈', '1', '1', '1 (100.0%)', '0 (0.0%)', '0 (0.0%)', '0 (0.0%)'],
      ]);
      expect(await page.locator('#channels td.num').count()).toBe(18);
      // Subscribe messages: a row per template the server knows, named for an operator, counts on the right.
      const messageRows = (await page.locator('#messages tr').allInnerTexts()).slice(1).map((t) => t.split(/\t/)[0]!.trim());
      expect(messageRows).toEqual(['拼团成功', '拼团失败退款', '还差 N 人提醒', '奖励到账', '确认收款', '好友助力', '活动再开']);
      expect(await page.locator('#messages td.num').count()).toBe(7 * 6);
      // Likes and new participants per hour, and the K-factor per day, drew one point each.
      expect((await chartData(page, 'hourly-chart')).map((d) => d.length)).toEqual([1, 1]);
      expect(await chartData(page, 'k-chart')).toHaveLength(2);

      // The retention heat map: one cohort of 7 (A and the six friends) whose days have not come yet.
      const cohort = page.locator('#retention tr').nth(1);
      expect((await cohort.innerText()).split(/\s+/).slice(0, 2)).toEqual(['2026-11-11', '7']);
      expect(await page.locator('#retention td.heat').count()).toBe(3);

      // Top inviters: A brought all six.
      expect(await page.locator('#inviters tr').nth(1).innerText()).toMatch(/6$/);

      // The fraud queue: the four accounts on one phone, waiting for review.
      const queue = await page.locator('#fraud tr').allInnerTexts();
      expect(queue.slice(1)).toHaveLength(4);
      for (const row of queue.slice(1)) expect(row).toMatch(/同设备多号.*4 个账号/);
      expect(await page.locator('#fraud-count').innerText()).toContain('4');

      // The group buy's books: A's paid order, no stuck refund, no payment anomaly.
      const orderRows = await page.locator('#orders tr').allInnerTexts();
      expect(orderRows.slice(1)).toEqual([expect.stringMatching(/已付款\s+¥14\.90\s+¥14\.90\s+¥0\.00/)]);
      // Money lines up on the right: 金额, 已付, 已退.
      expect((await alignments(page, 'orders')).slice(2, 5)).toEqual(['right', 'right', 'right']);
      expect(await page.locator('#stuck-refunds').innerText()).toContain('暂无数据');
      expect(await page.locator('#anomalies').innerText()).toContain('暂无数据');

      // The rewards review: A's three cash rewards, with who, where, how much and why.
      const held = await reviewRows(page);
      expect(held).toHaveLength(3);
      for (const [row, amount] of held.map((r, i) => [r, ['¥1.88', '¥5.88', '¥8.88'][i]!] as const)) {
        expect(row).toContain(`${a.nickname} 双11 集赞看板`);
        expect(row).toContain(amount);
        expect(row).toContain('6 个赞中 4 个来自被标记账号');
        expect(row).toMatch(/放行 ?作废$/);
      }
      expect(await page.locator('#review-count').innerText()).toContain('3');
      expect((await alignments(page, 'rewards')).slice(4, 6)).toEqual(['right', 'right']); // 金额, 能量

      await page.screenshot({ path: path.join(ARTIFACTS, `admin-dashboard-${label}.png`), fullPage: true });
      await page.locator('#review').screenshot({ path: path.join(ARTIFACTS, `admin-review-${label}.png`) });
      await page.locator('#overview').locator('..').screenshot({ path: path.join(ARTIFACTS, `admin-overview-${label}.png`) });

      // The key stays: a reload goes straight to the board.
      await page.reload();
      await page.waitForSelector(`body[data-loaded="${campaignId}"]`, { timeout: 20_000 });
      expect(await page.locator('#key-form').isHidden()).toBe(true);
      expect(failed).toEqual([]);
      await page.close();
    });
  }

  it('releases one reward and voids another from the review queue, and shows why one already decided is refused', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page);
    const ids = (await adminCall('GET', '/rewards?status=review')).json().items.map((r: { id: string }) => r.id) as string[];
    expect(ids).toHaveLength(3);
    const button = (id: string, label: '放行' | '作废') => page.locator(`#rewards button[data-reward="${id}"]`, { hasText: label });

    // Cancel on the note's prompt decides nothing.
    page.once('dialog', (d) => void d.dismiss());
    await button(ids[0]!, '放行').click();
    expect(await reviewRows(page)).toHaveLength(3);
    expect(await page.locator('#review-result').innerText()).toBe('');

    page.once('dialog', (d) => void d.accept('核实为真实好友'));
    await button(ids[0]!, '放行').click();
    await page.waitForFunction(() => (globalThis as unknown as { document: { body: { dataset: Record<string, string> } } }).document.body.dataset.rewards === '2');
    expect(await page.locator('#review-result').innerText()).toBe(`已放行 #${ids[0]}（${a.nickname} ¥1.88），下一轮转账发出`);

    page.once('dialog', (d) => void d.accept('同设备多号点赞'));
    await button(ids[1]!, '作废').click();
    await page.waitForFunction(() => (globalThis as unknown as { document: { body: { dataset: Record<string, string> } } }).document.body.dataset.rewards === '1');
    expect(await page.locator('#review-result').innerText()).toBe(`已作废 #${ids[1]}（${a.nickname}），¥5.88 退回预算`);

    // Another operator released the last one meanwhile: this page's void is refused with the server's reason, and the list catches up.
    expect((await adminCall('POST', `/rewards/${ids[2]}/release`, {})).statusCode).toBe(200);
    page.once('dialog', (d) => void d.accept(''));
    await button(ids[2]!, '作废').click();
    await page.waitForSelector('#review-result.error');
    expect(await page.locator('#review-result').innerText()).toBe(`作废 #${ids[2]} 失败：This reward is not waiting for review`);
    await page.waitForFunction(() => (globalThis as unknown as { document: { body: { dataset: Record<string, string> } } }).document.body.dataset.rewards === '0');
    expect(await page.locator('#rewards').innerText()).toContain('暂无数据');
    await page.locator('#review').screenshot({ path: path.join(ARTIFACTS, 'admin-review-refused.png') });
    expect(await page.locator('#key-form').isHidden()).toBe(true);

    // Both decisions are in the audit log with the operator's notes.
    const audit = await rows<{ action: string; target_id: string; note: string }>(
      ctx.database.db,
      sql`select action, target_id, after->>'note' as note from admin_audit where action like 'reward.%' order by id`,
    );
    expect(audit.map((r) => [r.action, r.target_id, r.note])).toEqual([
      ['reward.release', ids[0], '核实为真实好友'],
      ['reward.void', ids[1], '同设备多号点赞'],
      ['reward.release', ids[2], ''],
    ]);
    await page.close();
  });

  it('sends a wrong key back to the key form with the reason', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/admin/`);
    await page.fill('#key', 'jzk_not_a_real_key_at_all');
    await page.click('#key-form button[type=submit]');
    await page.waitForSelector('#status.error');
    expect(await page.locator('#key-form').isVisible()).toBe(true);
    expect(await page.locator('#status').innerText()).toContain('密钥无效');
    await page.close();
  });

  it('serves Chart.js from this server, not a CDN', async () => {
    const res = await fetch(`${base}/admin/vendor/chart.umd.min.js`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Chart');
    const html = await (await fetch(`${base}/admin/`)).text();
    expect(html).not.toMatch(/https?:\/\//);
  });
});
