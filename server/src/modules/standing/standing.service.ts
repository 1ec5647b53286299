import type { CampaignDetail } from '@jizan/shared';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { campaignDay } from '../campaigns/campaign-rules.js';
import { campaignForRead, toCampaignSummary } from '../campaigns/campaigns.service.js';
import { likesLeftFrom } from '../likes/likes.service.js';
import { teamSummaryFrom } from '../teams/teams.service.js';
import * as repo from './standing.repository.js';

/**
 * The campaign page: the campaign, its rules and the caller's standing in it (energy, likes left
 * today, team). Composed here, above campaigns, likes and teams, so none of them depends on another
 * just to fill in the caller's part: the facts come from one read join (`standingFacts`), and each
 * module's rule turns its part into what the page shows. The campaign itself comes from this
 * instance's read cache (at most a second old).
 */
export async function getCampaignDetail(deps: { db: Db; clock: Clock }, campaignId: string, userId: string): Promise<CampaignDetail> {
  const now = deps.clock.now();
  const c = await campaignForRead(deps.db, campaignId);
  const facts = await repo.standingFacts(deps.db, { campaignId: c.id, userId, day: campaignDay(now, c.timeZone) });
  return {
    ...toCampaignSummary(c, now),
    description: c.description,
    rules: c.rules,
    me: {
      energy: facts.energy,
      likesLeftToday: likesLeftFrom(c, facts.likesGivenToday),
      team: facts.team ? teamSummaryFrom(c, facts.team) : null,
    },
  };
}
