/**
 * `pnpm shots`: every page of the mini-program's H5 build, in every state worth a look, as PNGs
 * at 375×667 in `shots/` (git-ignored), so a reviewer can see all of them in a minute.
 *
 * It boots the real server on a fresh PGlite data dir with the demo seed, makes the states it needs
 * through the API (a captain with helpers, a full team, a long team name…), then walks the pages in
 * Debian's Chromium as the users who see them. Chinese and emoji need fonts-noto-cjk and
 * fonts-noto-color-emoji; without them text renders as empty boxes, so the script refuses to run.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { pageUrl } from '../../miniapp/src/page-paths.js';
import { ensureH5Build } from './ensure-h5.js';
import { haveChromium, launchChromium, PHONE, startLocalServer, type LocalServer } from './local-server.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = path.join(REPO_ROOT, 'shots');
const PHONE_HEIGHT = 667;
/** Run in the page (a string: this script is compiled without the DOM's types): the visible Taro page's content height. */
const PAGE_HEIGHT = `(() => {
  const shown = [...document.querySelectorAll('.taro_page')].filter((e) => e.offsetHeight > 0);
  const el = shown[shown.length - 1];
  return el ? el.scrollHeight : document.documentElement.scrollHeight;
})()`;

const FONTS = [
  { family: 'Noto Sans CJK', pkg: 'fonts-noto-cjk' },
  { family: 'Noto Color Emoji', pkg: 'fonts-noto-color-emoji' },
];

function requireFontsAndChromium(): void {
  let families = '';
  try {
    families = execFileSync('fc-list', [':', 'family'], { encoding: 'utf8' });
  } catch {
    // No fontconfig: treated as no fonts.
  }
  const missing = FONTS.filter((f) => !families.includes(f.family)).map((f) => f.pkg);
  if (!haveChromium()) missing.unshift('chromium');
  if (missing.length > 0) {
    console.error(`pnpm shots needs ${missing.join(', ')}: apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
}

/** The API as the seeding steps use it: log in as a dev user, then call with their token. */
function apiOf(base: string) {
  const tokens = new Map<string, string>();
  async function call<T>(user: string, method: string, url: string, body?: unknown): Promise<T> {
    let token = tokens.get(user);
    if (!token) {
      const res = await fetch(`${base}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: `dev:${user}` }),
      });
      token = ((await res.json()) as { token: string }).token;
      tokens.set(user, token);
    }
    const res = await fetch(`${base}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        // Opening, joining and claiming are idempotent writes: the server asks each for a key.
        ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`${user} ${method} ${url} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  }
  return call;
}

interface Seeded {
  campaignId: string;
  aliceTeamId: string;
  aliceCard: string;
  daveTeamId: string;
  daveCard: string;
  productId: string;
  groupId: string;
  groupCard: string;
  heldTeamId: string;
}

/** The states the pictures need, made through the API as users would make them. */
async function seed(server: LocalServer): Promise<Seeded> {
  const call = apiOf(server.base);
  const { campaigns } = await call<{ campaigns: { id: string }[] }>('alice', 'GET', '/v1/campaigns');
  const campaignId = campaigns[0]!.id;
  const named = async (user: string, nickname: string) => call(user, 'PATCH', '/v1/me', { nickname });
  const card = async (user: string, kind: 'like' | 'team') =>
    (await call<{ token: string }>(user, 'POST', '/v1/shares', { campaignId, kind })).token;
  const team = async (user: string, name: string) =>
    (await call<{ id: string }>(user, 'POST', `/v1/campaigns/${campaignId}/teams`, { name })).id;

  // Alice: a captain with three helpers and a teammate, who has helped a friend herself.
  await named('alice', 'Alice');
  const aliceTeamId = await team('alice', '冲鸭队');
  const aliceCard = await card('alice', 'team');
  for (const [user, nick] of [['ann', '安安'], ['ben', '阿斌'], ['bob', '鲍勃']] as const) {
    await named(user, nick);
    await call(user, 'POST', `/v1/shares/${aliceCard}/like`, {});
  }
  await call('bob', 'POST', `/v1/shares/${aliceCard}/join`, {});
  await call('alice', 'POST', `/v1/shares/${await card('xiaoming', 'like')}/like`, {});

  // Dave: a full team (five of five).
  await named('dave', '大卫');
  const daveTeamId = await team('dave', '满员队');
  const daveCard = await card('dave', 'team');
  for (const user of ['m1', 'm2', 'm3', 'm4']) await call(user, 'POST', `/v1/shares/${daveCard}/join`, {});

  // A team name at the 20-character limit, for the row that must not wrap.
  await named('longname', '长名字');
  await team('longname', '我们是一支名字特别特别长的冲榜队伍呀');
  // Two more of Alice's friends like her card: past the demo's first red-packet tier (100), claimable.
  for (const user of ['fay', 'gus']) await call(user, 'POST', `/v1/shares/${aliceCard}/like`, {});

  // Hana: a nickname and a team name the platform's check sent to review (its simulator holds any text naming 待审核).
  await named('hana', '小花待审核');
  const heldTeamId = await team('hana', '星光待审核队');

  // Cora: fifteen new friends' likes, past the demo's 拼团券 rung (300), to claim it and spend it on the cup.
  await named('cora', '可乐');
  const coraCard = await card('cora', 'like');
  for (let i = 1; i <= 15; i++) await call(`cora-fan${i}`, 'POST', `/v1/shares/${coraCard}/like`, {});

  // Group buying: Alice opens a group of the first product and shares it as a card.
  const { products } = await call<{ products: { id: string }[] }>('alice', 'GET', `/v1/products?campaignId=${campaignId}`);
  const productId = products[0]!.id;
  const groupId = (await call<{ id: string }>('alice', 'POST', '/v1/groups', { productId })).id;
  const groupCard = (await call<{ token: string }>('alice', 'POST', '/v1/shares', { campaignId, kind: 'groupbuy', groupId })).token;
  // And a group of two that fills (the simulated buyer pays at once here): 拼团成功 in Alice's and Ben's inboxes.
  const pair = await call<{ id: string }>('alice', 'POST', '/v1/groups', { productId: products[1]!.id });
  await call('ben', 'POST', `/v1/groups/${pair.id}/join`, {});
  return { campaignId, aliceTeamId, aliceCard, daveTeamId, daveCard, productId, groupId, groupCard, heldTeamId };
}

type Snap = (name: string) => Promise<void>;
/** A walk as one user; `snap` names a picture, so one walk can show a state before and after a tap. */
type Shot = [name: string, as: string, take: (page: Page, url: (hashPath: string) => string, snap: Snap) => Promise<void>];

async function settle(page: Page, ms = 400) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(ms);
}

/** Taro's H5 router keeps earlier pages in the DOM, hidden; only the visible copy counts. */
function visible(page: Page, text: string) {
  return page.getByText(text, { exact: true }).filter({ visible: true }).first();
}

function shots(s: Seeded): Shot[] {
  const share = pageUrl.share;
  const open = (p: string) => async (page: Page, url: (h: string) => string) => {
    await page.goto(url(p));
    await settle(page, 900);
    // On a busy machine the network can go quiet before the page has its data: wait for it.
    const loading = page.locator('.state--loading').filter({ visible: true }).first();
    if (await loading.isVisible()) {
      await loading.waitFor({ state: 'hidden', timeout: 15_000 }).catch(() => undefined);
      await settle(page, 600);
    }
  };
  /** A landing before the tap, then after a like (once the success burst has played). */
  const likeWalk = (p: string, before: string, after: string) => async (page: Page, url: (h: string) => string, snap: Snap) => {
    await open(p)(page, url);
    await snap(before);
    await visible(page, '为 TA 助力').click();
    await visible(page, '助力成功！').waitFor();
    await settle(page, 1200);
    await snap(after);
  };
  return [
    ['home-new-user', 'newbie', open(pageUrl.home())],
    [
      'home-team-name-over-limit',
      'newbie',
      async (page, url) => {
        await open(pageUrl.home())(page, url);
        await page.locator('.home__create-input input').filter({ visible: true }).fill('这是一个超过二十个字的队伍名称会被提示而不会被截断');
        await settle(page, 200);
      },
    ],
    [
      'home-team-name-hidden-characters',
      'newbie',
      async (page, url) => {
        await open(pageUrl.home())(page, url);
        // A zero-width space pasted with the name: refused before sending, said in Chinese.
        await page.locator('.home__create-input input').filter({ visible: true }).fill('星河\u200B战队');
        await settle(page, 200);
      },
    ],
    [
      'home-profile-prompt',
      'newbie',
      async (page, url, snap) => {
        await open(pageUrl.home())(page, url);
        await page.locator('.home__create-input input').filter({ visible: true }).fill('新手队');
        await visible(page, '创建队伍').click();
        await settle(page, 300);
        await snap('home-profile-prompt');
        // A nickname of Hangul fillers looks blank to everyone else: the sheet says so.
        await page.locator('.profile__nickname input').filter({ visible: true }).fill('\u3164\u3164');
        await settle(page, 200);
        await snap('home-profile-nickname-hidden-characters');
      },
    ],
    ['home-captain', 'alice', open(pageUrl.home())],
    [
      'home-share-card',
      'alice',
      async (page, url) => {
        await open(pageUrl.home())(page, url);
        await visible(page, '邀请好友助力').click();
        await page.locator('.chat-card').filter({ visible: true }).first().scrollIntoViewIfNeeded();
        // H5's clipboard toast ("内容已复制") sits over the card for 1.5 s.
        await settle(page, 2000);
      },
    ],
    [
      'home-dev-user-picker',
      'alice',
      async (page, url) => {
        await open(pageUrl.home())(page, url);
        await page.locator('.h5-bar__who').filter({ visible: true }).click();
        await settle(page, 200);
      },
    ],
    [
      'home-loading',
      'alice',
      async (page, url) => {
        await page.route('**/v1/campaigns**', async (r) => {
          await new Promise((res) => setTimeout(res, 4000));
          await r.continue().catch(() => undefined);
        });
        await page.goto(url(pageUrl.home()));
        await page.waitForTimeout(1200);
      },
    ],
    ['home-long-team-name', 'longname', open(pageUrl.home())],
    ['home-held-nickname', 'hana', open(pageUrl.home())],
    ['team-held-name', 'hana', open(pageUrl.team(s.heldTeamId))],
    [
      'home-team-name-refused',
      'rude',
      async (page, url) => {
        await open(pageUrl.home())(page, url);
        // The platform's check refuses a name naming gambling: the reason comes back in Chinese.
        await page.locator('.home__create-input input').filter({ visible: true }).fill('赌博之王');
        await visible(page, '创建队伍').click();
        await visible(page, '跳过').click();
        const refusal = page.locator('.notice--error').filter({ visible: true }).first();
        await refusal.waitFor();
        await refusal.scrollIntoViewIfNeeded();
        await settle(page, 300);
      },
    ],
    ['landing-before-like', 'carol', likeWalk(share(s.aliceCard), 'landing-before-like', 'landing-after-like')],
    [
      'landing-join-profile-prompt',
      'carol',
      async (page, url, snap) => {
        await open(share(s.aliceCard))(page, url);
        await visible(page, '加入 TA 的队伍').click();
        await page.locator('.profile').filter({ visible: true }).waitFor();
        await settle(page, 300);
        await snap('landing-join-profile-prompt');
        await visible(page, '跳过').click();
        await settle(page, 600);
        await snap('landing-after-join');
      },
    ],
    ['landing-own-card', 'alice', open(share(s.aliceCard))],
    ['landing-teammate', 'bob', open(share(s.aliceCard))],
    ['landing-team-full', 'dana', likeWalk(share(s.daveCard), 'landing-team-full', 'landing-team-full-after-like')],
    [
      'landing-like-offline',
      'erin',
      async (page, url, snap) => {
        await open(share(s.aliceCard))(page, url);
        await page.context().setOffline(true);
        await visible(page, '为 TA 助力').click();
        await page.locator('.notice--error').filter({ visible: true }).first().waitFor({ timeout: 20_000 });
        await page.waitForTimeout(300);
        await snap('landing-like-offline');
        // Back online, the retry works and the stale error goes with it.
        await page.context().setOffline(false);
        await visible(page, '为 TA 助力').click();
        await visible(page, '助力成功！').waitFor();
        await settle(page, 1200);
        await snap('landing-like-retried');
      },
    ],
    ['landing-bad-link', 'carol', open(share('no-such-card'))],
    ['landing-missing-token', 'carol', open(pageUrl.share(''))],
    ['team-member', 'alice', open(pageUrl.team(s.aliceTeamId))],
    ['team-full', 'dave', open(pageUrl.team(s.daveTeamId))],
    ['team-visitor', 'newbie', open(pageUrl.team(s.aliceTeamId))],
    ['team-no-id', 'alice', open(pageUrl.team(''))],
    ['team-not-found', 'alice', open(pageUrl.team('00000000-0000-4000-8000-000000000000'))],
    ['leaderboard-teams', 'alice', open(pageUrl.leaderboard(s.campaignId))],
    [
      'leaderboard-users',
      'alice',
      async (page, url) => {
        await open(pageUrl.leaderboard(s.campaignId))(page, url);
        await visible(page, '个人榜').click();
        await settle(page, 600);
      },
    ],
    ['leaderboard-no-team', 'newbie', open(pageUrl.leaderboard(s.campaignId))],
    ['energy-ledger', 'alice', open(pageUrl.energy(s.campaignId))],
    ['energy-empty', 'newbie', open(pageUrl.energy(s.campaignId))],
    [
      'home-ladder-claimable',
      'alice',
      async (page, url) => {
        await open(pageUrl.home())(page, url);
        await page.locator('.rp-ladder').filter({ visible: true }).first().scrollIntoViewIfNeeded();
        await settle(page, 300);
      },
    ],
    [
      'home-group-buy-entry',
      'alice',
      async (page, url) => {
        await open(pageUrl.home())(page, url);
        await page.locator('.gb-entry').filter({ visible: true }).first().scrollIntoViewIfNeeded();
        await settle(page, 300);
      },
    ],
    ['rules', 'alice', open(pageUrl.rules(s.campaignId))],
    ['redpackets-empty', 'alice', open(pageUrl.redPackets(s.campaignId))],
    [
      'home-packet',
      'alice',
      async (page, url, snap) => {
        await open(pageUrl.home())(page, url);
        await visible(page, '领取').click();
        await visible(page, '開').waitFor();
        await settle(page, 300);
        await snap('home-packet-sealed');
        await visible(page, '開').click();
        await page.locator('.rp-open__amount').filter({ visible: true }).first().waitFor();
        await settle(page, 600);
        await snap('home-packet-open');
      },
    ],
    ['redpackets-mine', 'alice', open(pageUrl.redPackets(s.campaignId))],
    [
      'coupon',
      'cora',
      async (page, url, snap) => {
        await open(pageUrl.home())(page, url);
        const rung = page.locator('.rp-rung--coupon').filter({ visible: true }).first();
        await rung.scrollIntoViewIfNeeded();
        await settle(page, 300);
        await snap('home-ladder-coupon-rung');
        await rung.locator('.rp-rung__claim').click();
        await visible(page, '開').click();
        await page.locator('.rp-open__amount').filter({ visible: true }).first().waitFor();
        await settle(page, 600);
        await snap('home-coupon-open');
        // Opens a page, waits for what it must show, and takes it.
        const shot = async (path: string, shows: (page: Page) => Locator, name: string) => {
          await open(path)(page, url);
          await shows(page).waitFor();
          await settle(page, 300);
          await snap(name);
        };
        await shot(pageUrl.product(s.productId), (p) => visible(p, '-¥10'), 'product-with-coupon');
        await shot(pageUrl.redPackets(s.campaignId), (p) => p.locator('.coupon').filter({ visible: true }).first(), 'redpackets-my-coupons');
        // Spent on an order: the group page's order says what it took off, and the coupon reads 已使用.
        await open(pageUrl.product(s.productId))(page, url);
        await visible(page, '我要开团 ¥49').click(); // the shots server's simulated buyer pays at once
        await visible(page, '已用拼团券抵扣 ¥10').waitFor();
        await settle(page, 600);
        await snap('group-order-with-coupon');
        await shot(pageUrl.redPackets(s.campaignId), (p) => visible(p, '已使用'), 'redpackets-coupon-used');
      },
    ],
    ['products', 'alice', open(pageUrl.products(s.campaignId))],
    ['product', 'carol', open(pageUrl.product(s.productId))],
    ['group-opener', 'alice', open(pageUrl.group(s.groupId))],
    ['orders', 'alice', open(pageUrl.orders())],
    ['inbox-empty', 'newbie', open(pageUrl.inbox())],
    ['inbox-with-items', 'alice', open(pageUrl.inbox())],
    ['landing-group-buy', 'carol', open(share(s.groupCard))],
    [
      'poster',
      'alice',
      async (page, url, snap) => {
        await open(pageUrl.poster(s.campaignId))(page, url);
        // Drawn once the code has come back from the (simulated) platform and the cover is gone.
        await page.locator('.poster__cover').filter({ visible: true }).first().waitFor({ state: 'hidden', timeout: 15_000 });
        await settle(page, 300);
        await snap('poster-drawn');
        await visible(page, '下载海报图片').click();
        await visible(page, '海报图片已下载').waitFor();
        await snap('poster-downloaded');
      },
    ],
    [
      'poster-no-code',
      // Alice again: her poster's card is kept, so this walk writes nothing (the seed spent the address's write budget).
      'alice',
      async (page, url) => {
        // The platform cannot draw the code: the poster says so and offers a retry.
        await page.route('**/poster-code', (r) => r.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"SERVICE_UNAVAILABLE","message":"x"}}' }));
        await open(pageUrl.poster(s.campaignId))(page, url);
        await visible(page, '小程序码暂时生成不了，稍后再试').waitFor();
        await settle(page, 200);
      },
    ],
    [
      'offline-tap-leaderboard',
      'alice',
      async (page, url) => {
        await open(pageUrl.home())(page, url);
        await page.context().setOffline(true);
        await visible(page, '排行榜').click();
        await page.waitForTimeout(2500);
      },
    ],
  ];
}

async function main() {
  requireFontsAndChromium();
  const only = process.argv.slice(2);
  const h5Dir = await ensureH5Build({ log: (m) => console.log(`[h5] ${m}`) });
  // The seed logs in and writes as dozens of users from one address within a minute, which the
  // per-address limits exist to refuse; the pictures are of pages, not of the limiter.
  const env = { JIZAN_RATE_LOGIN_PER_MINUTE: '1000', JIZAN_RATE_WRITES_PER_IP_PER_MINUTE: '100000' };
  const server = await startLocalServer({ h5Dir, env, ...(process.env.SHOTS_PORT ? { port: Number(process.env.SHOTS_PORT) } : {}) });
  let browser: Browser | undefined;
  const contexts = new Map<string, BrowserContext>();
  const written: string[] = [];
  try {
    const seeded = await seed(server);
    browser = await launchChromium();
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    const list = shots(seeded);
    let n = 0;
    for (const [name, as, take] of list) {
      if (only.length > 0 && !only.some((o) => name.includes(o))) continue;
      let ctx = contexts.get(as);
      if (!ctx) {
        ctx = await browser.newContext(PHONE);
        contexts.set(as, ctx);
      }
      await ctx.setOffline(false);
      const page = await ctx.newPage();
      const fileFor = (shot: string) => path.join(OUT, `${String(++n).padStart(2, '0')}-${shot}.png`);
      // The first screen as the phone shows it; a page taller than that also as a whole. Taro's H5
      // page scrolls inside its own container, so the window is stretched to the content to see it all.
      const snap: Snap = async (shot) => {
        const file = fileFor(shot);
        await page.screenshot({ path: file });
        written.push(file);
        const height = await page.evaluate<number>(PAGE_HEIGHT);
        if (height > PHONE_HEIGHT + 8) {
          const full = file.replace(/\.png$/, '.full.png');
          await page.setViewportSize({ width: 375, height });
          await page.waitForTimeout(150);
          await page.screenshot({ path: full });
          await page.setViewportSize({ width: 375, height: PHONE_HEIGHT });
          written.push(full);
        }
      };
      const snapped = written.length;
      try {
        await take(page, (hashPath) => `${server.base}/?as=${as}#${hashPath}`, snap);
        if (written.length === snapped) await snap(name);
      } catch (e) {
        await page.screenshot({ path: fileFor(`${name}.FAILED`) }).catch(() => undefined);
        throw new Error(`shot "${name}" failed: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        await page.close();
      }
    }
  } finally {
    await browser?.close();
    await server.stop();
  }
  console.log(`${written.length} screenshots at 375×667 in ${path.relative(REPO_ROOT, OUT)}/:`);
  for (const f of readdirSync(OUT).sort()) console.log(`  ${f}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
