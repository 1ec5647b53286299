import type { Job } from '../../jobs/runner.js';
import type { Db } from '../../db/client.js';
import type { BoardStore } from './board-store.js';
import { compactHistogram } from './leaderboard.service.js';

export interface LeaderboardJobDeps {
  leaderboard: { db: Db; boards: BoardStore };
}

/**
 * `leaderboard-histogram` folds the rank histogram's pending moves, so that boards nobody reads
 * for a while (their reads fold them too) do not pile them up; one instance at a time folds, the
 * others skip the tick. `leaderboard-corrector` brings boards kept in Redis back to the balances
 * (a no-op on PostgreSQL alone); one instance at a time too, by a lock in Redis. It rewrites the
 * recent movers on every tick, so it reports 0 rather than log a line every few seconds.
 */
export const leaderboardJobs: readonly Job<LeaderboardJobDeps>[] = [
  { name: 'leaderboard-histogram', run: (deps) => compactHistogram(deps.leaderboard.db) },
  {
    name: 'leaderboard-corrector',
    run: async (deps) => {
      await deps.leaderboard.boards.correct();
      return 0;
    },
  },
];
