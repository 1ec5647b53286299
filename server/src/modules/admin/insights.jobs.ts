import type { Job } from '../../jobs/runner.js';
import { refreshDueRollups, type InsightsDeps } from './insights.service.js';

/** Keeps the operators' rollups (per-user funnel steps and active days, hourly counts) current. */
export const insightsJobs: readonly Job<{ insights: InsightsDeps }>[] = [
  { name: 'insights-rollup', run: (deps, signal) => refreshDueRollups(deps.insights, { signal }) },
];
