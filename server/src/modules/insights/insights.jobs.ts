import type { Job } from '../../jobs/runner.js';
import { refreshDueRollups, type InsightsDeps } from './insights.service.js';

/**
 * Keeps the operators' rollups (per-user funnel steps and active days, hourly counts) current.
 * Every live campaign is refreshed on every tick, so the run reports 0: a "job ran" line every few
 * seconds per instance would drown the log (how far the rollups go is each answer's `asOf`; a failed
 * run is still logged by the runner).
 */
export const insightsJobs: readonly Job<{ insights: InsightsDeps }>[] = [
  {
    name: 'insights-rollup',
    run: async (deps, signal) => {
      await refreshDueRollups(deps.insights, { signal });
      return 0;
    },
  },
];
