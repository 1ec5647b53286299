import { forEachConcurrently } from '../lib/pool.js';
import { devOpenid } from '../modules/auth/code-exchange.js';
import { ensureDevOperator } from '../modules/operators/operators.service.js';
import { createCampaign, findCampaignBySlug } from '../modules/campaigns/campaigns.service.js';
import type { GroupBuyDeps } from '../modules/groupbuy/groupbuy.deps.js';
import { createProduct } from '../modules/groupbuy/groupbuy.service.js';
import { openGroup } from '../modules/groupbuy/groups.service.js';
import { NO_IDEMPOTENCY } from '../modules/idempotency/idempotency.service.js';
import { createShare, joinSharersTeam, likeShare } from '../modules/shares/shares.service.js';
import { OWN_CONTENT } from '../lib/content-check.js';
import { createTeam } from '../modules/teams/teams.service.js';
import { ensureUsers } from '../modules/users/users.service.js';
import type { ServiceDeps } from '../service-deps.js';

/** With the group buy's dependencies the seed also opens a demo group (paid through their provider). */
type SeedDeps = Pick<ServiceDeps, 'db' | 'clock' | 'shareSecret' | 'boards'> & { groupBuy?: GroupBuyDeps };

export { groupBuyDeps } from '../modules/groupbuy/groupbuy.deps.js';

export const DEMO_FLASH_WINDOW_SECONDS = 300;

/** The demo's group-buy products (no images: the mini-program draws a placeholder). */
const DEMO_PRODUCTS = [
  { title: '双11 限定保温杯 500ml', price: 9900, groupPrice: 5900, groupSize: 3, stock: 300 },
  { title: '每日坚果礼盒 30 包', price: 12900, groupPrice: 7990, groupSize: 2, stock: 200, virtualFill: { minRealMembers: 1 } },
  // A flash group of five minutes: opened with one friend, it shows the 还差 N 人 reminder at half
  // time and then the failure and refund in the inbox while the visitor is still looking.
  { title: '限时闪拼 桌面手机支架', price: 3900, groupPrice: 1990, groupSize: 3, stock: 100, groupWindowSeconds: DEMO_FLASH_WINDOW_SECONDS },
];

export const DEMO_SLUG = 'demo';
const DAY = 24 * 3600 * 1000;

export interface SeedOptions {
  slug?: string;
  /** How many likes to write through the like rules (each one a real like). */
  likes?: number;
  teams?: number;
  membersPerTeam?: number;
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SeedResult {
  campaignId: string;
  created: boolean;
  likes: number;
}

const TEAM_NAMES = ['星河战队', '剁手联盟', '早鸟小分队', '红包收割机', '熬夜冲榜团', '满减研究所', '拼单小能手', '购物车清空队'];
/** Captains log in as `dev:<login>` and show under a Chinese nickname. */
const CAPTAINS: Record<string, string> = {
  xiaoming: '小明',
  xiaohong: '小红',
  ahua: '阿华',
  laowang: '老王',
  meimei: '美美',
  dagang: '大刚',
  tiantian: '甜甜',
  lele: '乐乐',
};

/**
 * The demo's money: a ladder whose first rung a newcomer reaches with a few friends' likes (the
 * second pays a coupon for the group buy rather than cash), a pool
 * for teams that collect enough together, and a budget that covers both, so every red-packet screen
 * has something to show.
 */
export const DEMO_RED_PACKETS = {
  redPacketTiers: [
    { energy: 100, amount: 188 },
    // A 拼团券 rung: 10 元 off a group buy of at least 50 元 (the cup), for a week, so energy flows into sales.
    { energy: 300, amount: 1000, reward: 'coupon' as const, coupon: { minSpend: 5000, validDays: 7 } },
    { energy: 500, amount: 588 },
    { energy: 2000, amount: 1888 },
  ],
  redPacketBudget: 200_000,
  prizePool: 100_000,
  prizePoolMinTeamEnergy: 300,
};

/** Users the seed plays; `dev:<name>` logs in as them, so the demo can be explored as any of them. */
function seedUsers(deps: SeedDeps, names: string[]): Promise<string[]> {
  return ensureUsers(
    deps,
    names.map((name) => ({ openid: devOpenid(name), ...(CAPTAINS[name] ? { nickname: CAPTAINS[name] } : {}) })),
  );
}

/**
 * A live demo campaign with teams, share cards and likes, written through the same services the
 * API uses so the seeded data obeys every rule. Running it again leaves an existing campaign alone.
 */
export async function seedDemo(deps: SeedDeps, opts: SeedOptions = {}): Promise<SeedResult> {
  const slug = opts.slug ?? DEMO_SLUG;
  const existing = await findCampaignBySlug(deps.db, slug);
  if (existing) return { campaignId: existing.id, created: false, likes: 0 };

  const now = deps.clock.now();
  const campaign = await createCampaign(deps, {
    slug,
    name: '双11 组队集能量',
    description: '组队邀请好友助力，集满能量瓜分红包。每位好友每天可为你助力一次，新用户首次助力能量翻倍！',
    startsAt: new Date(now.getTime() - DAY),
    endsAt: new Date(now.getTime() + 30 * DAY),
    rules: DEMO_RED_PACKETS,
  });

  const teamCount = Math.min(opts.teams ?? 3, TEAM_NAMES.length);
  const perTeam = Math.min(opts.membersPerTeam ?? 3, campaign.rules.teamSizeLimit);
  const captains = await seedUsers(deps, Object.keys(CAPTAINS).slice(0, teamCount));
  // Every team member also sends a like card: these are what the fans like below.
  const likeCards: string[] = [];
  const card = async (userId: string, kind: 'like' | 'team') =>
    (await createShare(deps, { userId, campaignId: campaign.id, kind, idempotency: NO_IDEMPOTENCY })).body.token;
  for (let t = 0; t < teamCount; t++) {
    const captainId = captains[t]!;
    await createTeam({ ...deps, content: OWN_CONTENT }, { campaignId: campaign.id, userId: captainId, name: TEAM_NAMES[t]!, idempotency: NO_IDEMPOTENCY });
    const invite = await card(captainId, 'team');
    likeCards.push(await card(captainId, 'like'));
    const members = await seedUsers(deps, Array.from({ length: perTeam - 1 }, (_, m) => `seed-t${t + 1}m${m + 1}`));
    for (const memberId of members) {
      await joinSharersTeam(deps, { token: invite, userId: memberId, idempotency: NO_IDEMPOTENCY });
      likeCards.push(await card(memberId, 'like'));
    }
  }

  // Each liker likes a run of different sharers, staying inside the daily caps.
  const total = opts.likes ?? 40;
  const perLiker = Math.max(1, Math.min(campaign.rules.dailyLikeCap, likeCards.length, 10));
  const likerIds = await seedUsers(deps, Array.from({ length: Math.ceil(total / perLiker) }, (_, i) => `seed-fan${i + 1}`));
  let done = 0;
  await forEachConcurrently(total, opts.concurrency ?? 4, async (i) => {
    const liker = Math.floor(i / perLiker);
    const token = likeCards[(liker + (i % perLiker)) % likeCards.length]!;
    await likeShare(deps, { token, userId: likerIds[liker]!, idempotency: NO_IDEMPOTENCY });
    opts.onProgress?.(++done, total);
  });

  // Products to buy by group buy, and one group already open (by the first captain) to join.
  const products = [];
  for (const p of DEMO_PRODUCTS) products.push(await createProduct(deps, { ...p, campaignId: campaign.id }));
  if (deps.groupBuy && deps.groupBuy.payments.name !== 'none') {
    const opened = await openGroup(deps.groupBuy, { userId: captains[0]!, productId: products[0]!.id, idempotency: NO_IDEMPOTENCY });
    // The demo's opener pays in the simulated pay sheet, so the group is open for friends to join.
    const payment = opened.body.myOrder?.status === 'pending_payment' ? opened.body.myOrder.payment : undefined;
    if (payment && deps.groupBuy.paySheet) await deps.groupBuy.paySheet.requestPayment(payment.params);
  }
  return { campaignId: campaign.id, created: true, likes: total };
}

/**
 * The dev operator and its key for the admin API (`Authorization: Bearer <key>`). The key is derived
 * from the server's secret, so it is the same on every start and can be printed again although only
 * its hash is stored; the upsert makes two instances seeding at once land on one row.
 */
export function seedDevOperator(deps: SeedDeps): Promise<string> {
  return ensureDevOperator(deps, deps.shareSecret);
}
