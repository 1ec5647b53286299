import type { Job } from './runner.js';
import type { Db } from '../db/client.js';
import type { Clock } from '../lib/clock.js';
import type { ContentCheckSettings } from '../lib/content-check.js';
import { recheckPendingTeamNames } from '../modules/teams/teams.service.js';
import { recheckHeldProfiles } from '../modules/users/users.service.js';

export interface ContentJobDeps {
  db: Db;
  clock: Clock;
  content: ContentCheckSettings;
  /** JIZAN_CONTENT_RECHECK_SECONDS: what is held is asked about again at most this often. */
  everyMs: number;
}

/**
 * Profiles (users) and team names (teams) are held alike, so one job of the registry's asks about
 * both, outside either module. Held names and pictures (the platform asked for review, or could not be asked) are asked about
 * again until it answers: a pass shows them, a refusal drops them. Per process and at most once a
 * period, since every held item costs a platform call; two instances asking at once settle the
 * same item the same way.
 */
export function contentJobs(): readonly Job<{ content: ContentJobDeps }>[] {
  let last = Number.NEGATIVE_INFINITY;
  return [
    {
      name: 'content-recheck',
      run: async ({ content: deps }) => {
        const now = deps.clock.now().getTime();
        if (now - last < deps.everyMs) return 0;
        last = now;
        return (await recheckHeldProfiles(deps)) + (await recheckPendingTeamNames(deps));
      },
    },
  ];
}
