import type { CampaignDetail } from '@jizan/shared';
import type { Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { participantEnergy, requireCampaign, toCampaignSummary } from '../campaigns/campaigns.service.js';
import { likesLeftTodayOf } from '../likes/likes.service.js';
import { teamSummaryOf } from '../teams/teams.service.js';

/**
 * The campaign page: the campaign, its rules and the caller's standing in it (energy, likes left
 * today, team). Composed here, above campaigns, likes and teams, so none of them depends on another
 * just to fill in the caller's part.
 */
export async function getCampaignDetail(
  deps: { db: Executor; clock: Clock },
  campaignId: string,
  userId: string,
): Promise<CampaignDetail> {
  const now = deps.clock.now();
  const c = await requireCampaign(deps.db, campaignId);
  const [energy, likesLeftToday, team] = await Promise.all([
    participantEnergy(deps.db, c.id, userId),
    likesLeftTodayOf(deps.db, c, userId, now),
    teamSummaryOf(deps.db, c, userId),
  ]);
  return {
    ...toCampaignSummary(c, now),
    description: c.description,
    rules: c.rules,
    me: { energy, likesLeftToday, team },
  };
}
