import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Clock } from '../lib/clock.js';
import { fraudJobs, type FraudJobDeps } from '../modules/admin/fraud.jobs.js';
import { groupBuyDeps } from '../modules/groupbuy/groupbuy.deps.js';
import { groupBuyJobs } from '../modules/groupbuy/groupbuy.jobs.js';
import type { GroupBuyDeps } from '../modules/groupbuy/groupbuy.service.js';
import { insightsJobs } from '../modules/admin/insights.jobs.js';
import type { InsightsDeps } from '../modules/admin/insights.service.js';
import type { Job } from './runner.js';

/** What the registered jobs need, one entry per module that has jobs. */
export interface JobDeps {
  groupBuy: GroupBuyDeps;
  insights: InsightsDeps;
  fraud: FraudJobDeps;
}

/** Every background job; a module with a job adds it here (red-packet settlement is next). */
export const JOBS: readonly Job<JobDeps>[] = [...groupBuyJobs, ...insightsJobs, ...fraudJobs()];

export function jobDeps(base: { config: Config; db: Db; clock: Clock }): JobDeps {
  return {
    groupBuy: groupBuyDeps(base),
    insights: { db: base.db, clock: base.clock },
    fraud: { db: base.db, clock: base.clock, everyMs: 10 * 60_000 },
  };
}
