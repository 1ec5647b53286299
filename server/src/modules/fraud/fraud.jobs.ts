import type { Job } from '../../jobs/runner.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { scanFraud } from './fraud.service.js';

export interface FraudJobDeps {
  db: Db;
  clock: Clock;
  /** A scan reads every like of recent campaigns: once per this period is plenty for a review queue. */
  everyMs: number;
}

/**
 * The fraud scan as a background job. The runner calls jobs every few seconds; this one skips
 * until its period has passed (per process — scans upsert on a unique subject, so two instances
 * scanning at once only repeat work, never flags).
 */
export function fraudJobs(): readonly Job<{ fraud: FraudJobDeps }>[] {
  let last = Number.NEGATIVE_INFINITY;
  return [
    {
      name: 'fraud-scan',
      run: async (deps) => {
        const now = deps.fraud.clock.now().getTime();
        if (now - last < deps.fraud.everyMs) return 0;
        last = now;
        return (await scanFraud(deps.fraud)).flagged;
      },
    },
  ];
}
