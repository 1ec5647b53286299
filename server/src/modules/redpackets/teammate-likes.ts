import type { CampaignRules } from '@jizan/shared';

/**
 * Whether a like between these two would be refused for being within one team. Energy becomes
 * money, and a team liking itself adds nothing to the relationship chain, so campaigns refuse it
 * unless their rules say `teammateLikes: 'allowed'`. Users without a team are nobody's teammate.
 * The like path calls this with the liker's and the sharer's team in the campaign.
 */
export function teammateLikeBlockedBy(
  rules: Pick<CampaignRules, 'teammateLikes'>,
  likerTeamId: string | null,
  sharerTeamId: string | null,
): 'TEAMMATE_LIKE' | null {
  if (rules.teammateLikes === 'allowed') return null;
  return likerTeamId !== null && likerTeamId === sharerTeamId ? 'TEAMMATE_LIKE' : null;
}
