import type { Job } from '../../jobs/runner.js';
import type { Db } from '../../db/client.js';
import { compactHistogram } from './leaderboard.service.js';

export interface LeaderboardJobDeps {
  leaderboard: { db: Db };
}

/**
 * Folds the rank histogram's pending moves, so that boards nobody reads for a while (their reads
 * fold them too) do not pile them up. One instance at a time folds; the others skip the tick.
 */
export const leaderboardJobs: readonly Job<LeaderboardJobDeps>[] = [
  { name: 'leaderboard-histogram', run: (deps) => compactHistogram(deps.leaderboard.db) },
];
