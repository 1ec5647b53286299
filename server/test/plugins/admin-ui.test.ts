import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, haveChromium, launchChromium } from '../../../scripts/dev/local-server.js';
import { REPO_ROOT } from '../../src/config.js';
import { refreshRollups } from '../../src/modules/insights/insights.service.js';
import { campaign, createTeam, login, share, testApp, unique } from '../helper.js';
import { open, product } from '../modules/groupbuy/fixtures.js';

/**
 * The operators' dashboard in Chromium against the real server, like the mini-program's browser
 * test (same Chromium, same launch): paste the key, then read the overview's numbers, the funnel
 * chart's bars, the retention heat map, the top inviters and the fraud queue, at a phone's width and
 * a desktop's (screenshots in .e2e-artifacts/).
 *
 * World (T0, one campaign): A founds 星河 and shares a card; B and C open it and like, and so do
 * F1–F4, four accounts on one phone. 6 likes, 1 card, 6 opens by 6 openers, all brought by A.
 */
const ADMIN_KEY = 'dashboard-admin-key-0123456789';
const ARTIFACTS = path.join(REPO_ROOT, '.e2e-artifacts');
const ctx = testApp({ config: { JIZAN_ADMIN_KEY: ADMIN_KEY } });
let base = '';
let browser: Browser | undefined;
let campaignId = '';

if (!haveChromium()) {
  // A laptop with only Node still runs the rest of the suite; CI installs Chromium (.ci/run).
  console.warn(`\n${'!'.repeat(72)}\n!! admin dashboard browser test SKIPPED: ${CHROMIUM} is missing (apt-get install -y chromium).\n${'!'.repeat(72)}\n`);
}

async function loginOn(deviceId: string) {
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { code: `dev:${unique('f')}` }, headers: { 'x-device-id': deviceId } });
  const { token } = res.json() as { token: string };
  const call = (method: 'GET' | 'POST', url: string) => ctx.app.inject({ method, url, headers: { authorization: `Bearer ${token}` } });
  return { get: (url: string) => call('GET', url), post: (url: string) => call('POST', url) };
}

beforeAll(async () => {
  const c = await campaign(ctx, { name: '双11 集赞看板' });
  campaignId = c.id;
  const a = await login(ctx);
  await createTeam(a, c.id, '星河');
  await open(a, (await product(ctx, { campaignId: c.id })).id);
  const token = await share(a, c.id);
  const phone = unique('phone');
  const friends = [await loginOn(unique('b')), await loginOn(unique('c'))];
  for (let i = 0; i < 4; i++) friends.push(await loginOn(phone));
  for (const friend of friends) {
    expect((await friend.get(`/v1/shares/${token}`)).statusCode).toBe(200);
    expect((await friend.post(`/v1/shares/${token}/like`)).statusCode).toBe(200);
  }
  await ctx.app.deps.shareOpens.flush(); // opens are written in batches; the rollup reads the table
  await refreshRollups({ db: ctx.database.db, clock: ctx.clock }, c.id);
  const scan = await ctx.app.inject({ method: 'POST', url: '/admin/v1/fraud/scan', headers: { authorization: `Bearer ${ADMIN_KEY}` }, payload: { campaignId: c.id } });
  expect(scan.statusCode, scan.body).toBe(200);
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
    ['phone', { width: 375, height: 812 }],
    ['desktop', { width: 1280, height: 900 }],
  ] as const) {
    it(`asks for the key once, then shows the campaign (${label})`, async () => {
      const page = await browser!.newPage({ viewport });
      const failed: string[] = [];
      page.on('pageerror', (e) => failed.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') failed.push(m.text());
      });
      await page.goto(`${base}/admin/?campaign=${campaignId}`);
      expect(await page.locator('#board').isHidden()).toBe(true);
      await page.fill('#key', ADMIN_KEY);
      await page.click('#key-form button[type=submit]');
      await page.waitForSelector(`body[data-loaded="${campaignId}"]`, { timeout: 20_000 });

      // Overview: 6 likes, 1 team, 1 card, 6 opens.
      const cards = (await page.locator('#overview .card').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
      expect(cards).toEqual(expect.arrayContaining(['6 点赞', '1 队伍', '1 分享卡片', '6 打开']));

      // The funnel as bars: 1 card → 6 opens → 6 openers → 6 liked → nobody joined, bought or paid.
      expect(await chartData(page, 'funnel-chart')).toEqual([[1, 6, 6, 6, 0, 0, 0]]);
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
      expect(orderRows.slice(1)).toEqual([expect.stringMatching(/已付款\s+¥19\.90\s+¥19\.90\s+¥0\.00/)]);
      expect(await page.locator('#stuck-refunds').innerText()).toContain('暂无数据');
      expect(await page.locator('#anomalies').innerText()).toContain('暂无数据');

      await page.screenshot({ path: path.join(ARTIFACTS, `admin-dashboard-${label}.png`), fullPage: true });

      // The key stays: a reload goes straight to the board.
      await page.reload();
      await page.waitForSelector(`body[data-loaded="${campaignId}"]`, { timeout: 20_000 });
      expect(await page.locator('#key-form').isHidden()).toBe(true);
      expect(failed).toEqual([]);
      await page.close();
    });
  }

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
