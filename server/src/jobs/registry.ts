import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { refreshStatistics } from '../db/statistics.js';
import type { Clock } from '../lib/clock.js';
import { couponJobs, type CouponJobDeps } from '../modules/coupons/coupons.jobs.js';
import { fraudJobs, type FraudJobDeps } from '../modules/fraud/fraud.jobs.js';
import { insightsJobs } from '../modules/insights/insights.jobs.js';
import type { InsightsDeps } from '../modules/insights/insights.service.js';
import { groupBuyJobs } from '../modules/groupbuy/groupbuy.jobs.js';
import { leaderboardJobs, type LeaderboardJobDeps } from '../modules/leaderboard/leaderboard.jobs.js';
import type { BoardStore } from '../modules/leaderboard/leaderboard.service.js';
import type { GroupBuyDeps } from '../modules/groupbuy/groupbuy.deps.js';
import { ledgerJobs } from '../modules/ledger/ledger.jobs.js';
import { redPacketJobs, type RedPacketJobDeps } from '../modules/redpackets/redpackets.jobs.js';
import { payoutsFor, type Payouts } from '../modules/redpackets/payouts.js';
import { scanFraud } from '../modules/fraud/fraud.service.js';
import { expireIdempotencyKeys, type IdempotencyExpiryDeps } from '../modules/idempotency/idempotency.service.js';
import type { WechatPlatform } from '../lib/wechat/index.js';
import { notificationJobs, type NotificationJobDeps } from '../modules/notifications/notifications.jobs.js';
import { wechatSubscribeSend } from '../modules/notifications/sender.service.js';
import { wechatContentCheck, wechatRiskRank } from '../lib/wechat-reach.js';
import { contentCheckSettings } from '../content-config.js';
import { contentJobs, type ContentJobDeps } from './content-recheck.js';
import type { Job } from './runner.js';

/** What the registered jobs need, one entry per module that has jobs. */
export interface JobDeps extends RedPacketJobDeps, LeaderboardJobDeps, NotificationJobDeps, CouponJobDeps {
  content: ContentJobDeps;
  groupBuy: GroupBuyDeps;
  idempotency: IdempotencyExpiryDeps;
  insights: InsightsDeps;
  fraud: FraudJobDeps;
  ledger: { db: Db };
  /** Null on PGlite, where refreshStatistics has nothing to do. */
  statistics: { db: Db } | null;
}

/** Every background job; a module with a job adds it here. */
export const JOBS: readonly Job<JobDeps>[] = [
  ...groupBuyJobs,
  ...redPacketJobs,
  ...couponJobs,
  ...ledgerJobs,
  ...insightsJobs,
  ...fraudJobs(),
  ...contentJobs(),
  ...leaderboardJobs,
  ...notificationJobs,
  // Tables grown past the threshold since their last ANALYZE, and the drained histogram moves' dead rows.
  { name: 'table-statistics', run: (deps) => (deps.statistics ? refreshStatistics(deps.statistics.db) : Promise.resolve(0)) },
  { name: 'idempotency-expiry', run: (deps, signal) => expireIdempotencyKeys(deps.idempotency, { signal }) },
];

/**
 * `boards`: the app's (or the jobs process's) board store, one Redis connection for reads, writes and
 * the corrector. `groupBuy`: the process's one set (see groupBuyDeps), which its routes share.
 */
export function jobDeps(base: {
  config: Config;
  db: Db;
  clock: Clock;
  boards: BoardStore;
  groupBuy: GroupBuyDeps;
  payouts?: Payouts;
  /** The process's platform client: the subscribe-message sender's way out (none: every message stays in the inbox). */
  wechat?: WechatPlatform | null;
}): JobDeps {
  const { config, db, clock, boards, groupBuy } = base;
  const { reminderLeadMinutes, likeBatchMinutes } = config.subscribe;
  const payouts = base.payouts ?? payoutsFor({ config, db, clock });
  // The hold's review runs the campaign's fraud scan first, so flags raised by the claim's own likes count.
  payouts.scan ??= (campaignId) => scanFraud({ db, clock }, { campaignId });
  // With a platform client (or its simulator), the platform's own marketing-fraud rank joins the checks.
  if (base.wechat) payouts.riskRank ??= wechatRiskRank(base.wechat.client);
  return {
    groupBuy,
    idempotency: { db, clock, ttlHours: config.idempotencyTtlHours },
    leaderboard: { db, boards },
    redPackets: { db, clock, ...config.redPackets },
    transfers: payouts,
    coupons: { db, clock },
    insights: { db, clock },
    fraud: { db, clock, everyMs: 10 * 60_000 },
    content: {
      db,
      clock,
      content: contentCheckSettings(config.contentCheck, config.env, config.port, base.wechat ? wechatContentCheck(base.wechat.client) : null),
      everyMs: config.contentCheck.recheckSeconds * 1000,
    },
    ledger: { db },
    statistics: config.databaseUrl ? { db } : null,
    notifications: {
      sender: { db, clock, subscribe: config.subscribe, send: base.wechat ? wechatSubscribeSend(base.wechat.client) : null },
      producers: { db, clock, reminderLeadMinutes, likeBatchMinutes },
    },
  };
}
