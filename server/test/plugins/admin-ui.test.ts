import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.js';
import { refreshRollups } from '../../src/modules/admin/insights.service.js';
import { campaign, createTeam, login, share, testApp } from '../helper.js';

/**
 * The operators' dashboard in Chromium against the real server: paste the key, see the campaign's
 * overview, funnel, hourly and K-factor charts, the retention heat map and the top inviters, at a
 * phone's width and a desktop's (screenshots in .e2e-artifacts/).
 */
const CHROMIUM = '/usr/bin/chromium';
const ADMIN_KEY = 'dashboard-admin-key-0123456789';
const ARTIFACTS = path.join(REPO_ROOT, '.e2e-artifacts');
const ctx = testApp({ config: { JIZAN_ADMIN_KEY: ADMIN_KEY } });
let base = '';
let browser: Browser;
let campaignId = '';

beforeAll(async () => {
  const c = await campaign(ctx, { name: '双11 集赞看板' });
  campaignId = c.id;
  const [a, b, cc] = await Promise.all([login(ctx), login(ctx), login(ctx)]);
  await createTeam(a!, c.id, '星河');
  const token = await share(a!, c.id);
  for (const friend of [b!, cc!]) {
    await friend.get(`/v1/shares/${token}`);
    await friend.post(`/v1/shares/${token}/like`);
  }
  await refreshRollups({ db: ctx.database.db, clock: ctx.clock }, c.id);
  base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  if (existsSync(CHROMIUM)) browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

describe.skipIf(!existsSync(CHROMIUM))('operator dashboard at /admin/', () => {
  for (const [label, viewport] of [
    ['phone', { width: 375, height: 812 }],
    ['desktop', { width: 1280, height: 900 }],
  ] as const) {
    it(`asks for the key once, then shows the campaign (${label})`, async () => {
      const page = await browser.newPage({ viewport });
      const failed: string[] = [];
      page.on('pageerror', (e) => failed.push(e.message));
      await page.goto(`${base}/admin/?campaign=${campaignId}`);
      await page.fill('#key', ADMIN_KEY);
      await page.click('#key-form button[type=submit]');
      await page.waitForSelector(`body[data-loaded="${campaignId}"]`, { timeout: 20_000 });

      // Overview: 2 likes, 1 team, 1 card; the funnel, hourly and K-factor charts drew.
      const cards = await page.locator('#overview .card').allInnerTexts();
      expect(cards.map((t) => t.replace(/\s+/g, ' '))).toEqual(expect.arrayContaining(['2 点赞', '1 队伍', '1 分享卡片']));
      for (const id of ['funnel-chart', 'hourly-chart', 'k-chart']) {
        expect(await page.locator(`#${id}`).evaluate((c) => { const canvas = c as unknown as { width: number; height: number }; return canvas.width > 0 && canvas.height > 0; })).toBe(true);
      }
      // The retention grid has today's cohort of three (A's card, B's and C's likes); top inviter is A with 2.
      expect(await page.locator('#retention tr').nth(1).innerText()).toMatch(/^2026-11-11\s+3/);
      expect(await page.locator('#inviters tr').nth(1).innerText()).toMatch(/2$/);
      await page.screenshot({ path: path.join(ARTIFACTS, `admin-dashboard-${label}.png`), fullPage: true });

      // The key stays: a reload goes straight to the board.
      await page.reload();
      await page.waitForSelector(`body[data-loaded="${campaignId}"]`, { timeout: 20_000 });
      expect(await page.locator('#key-form').isHidden()).toBe(true);
      expect(failed).toEqual([]);
      await page.close();
    });
  }

  it('serves Chart.js from this server, not a CDN', async () => {
    const res = await fetch(`${base}/admin/vendor/chart.umd.min.js`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Chart');
    const html = await (await fetch(`${base}/admin/`)).text();
    expect(html).not.toMatch(/https?:\/\//);
  });
});
