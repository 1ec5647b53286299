import type { LeaderboardQuery, LeaderboardResponse, MyLeaderboardEntry } from '@jizan/shared';
import { LIMITS } from '@jizan/shared/constants';
import type { Executor } from '../../db/client.js';
import { requireCampaign } from '../campaigns/campaigns.service.js';
import { teamStandingOf, topTeams } from '../teams/teams.service.js';
import * as repo from './leaderboard.repository.js';

/** The team board comes from the teams module, which owns a team's rank; the user board is ranked here. */
export async function leaderboard(
  deps: { db: Executor },
  campaignId: string,
  userId: string,
  q: LeaderboardQuery,
): Promise<LeaderboardResponse> {
  await requireCampaign(deps.db, campaignId);
  const by = q.by ?? 'team';
  const limit = q.limit ?? LIMITS.pageSizeDefault;
  const [entries, me] =
    by === 'team'
      ? await Promise.all([topTeams(deps.db, campaignId, limit), teamStandingOf(deps.db, campaignId, userId)])
      : await Promise.all([repo.topUsers(deps.db, campaignId, limit), myUserStanding(deps.db, campaignId, userId)]);
  return { by, entries, me };
}

/** My row on the user board, with the gap to the user above (距上一名还差 X 能量). */
async function myUserStanding(ex: Executor, campaignId: string, userId: string): Promise<MyLeaderboardEntry | null> {
  const row = await repo.myUserRank(ex, campaignId, userId);
  return row && { ...row, gapToPrevious: await repo.userGapAbove(ex, campaignId, row.energy) };
}
