import type { CampaignRules, LikeBlocker } from '@jizan/shared';

/** A like is worth `likeEnergy`; a liker's first like ever is multiplied (新用户助力加倍). */
export function likeEnergy(rules: Pick<CampaignRules, 'likeEnergy' | 'firstLikeMultiplier'>, isNewLiker: boolean): number {
  return rules.likeEnergy * (isNewLiker ? rules.firstLikeMultiplier : 1);
}

export function likesLeftToday(rules: Pick<CampaignRules, 'dailyLikeCap'>, givenToday: number): number {
  return Math.max(0, rules.dailyLikeCap - givenToday);
}

/**
 * Whether a like between these two would be refused for being within one team. Energy becomes
 * money, and a team liking itself adds nothing to the relationship chain, so campaigns refuse it
 * unless their rules say `teammateLikes: 'allowed'`. Users without a team are nobody's teammate.
 */
export function teammateLikeBlockedBy(
  rules: Pick<CampaignRules, 'teammateLikes'>,
  likerTeamId: string | null,
  sharerTeamId: string | null,
): 'TEAMMATE_LIKE' | null {
  if (rules.teammateLikes === 'allowed') return null;
  return likerTeamId !== null && likerTeamId === sharerTeamId ? 'TEAMMATE_LIKE' : null;
}

export interface LikeFacts {
  authenticated: boolean;
  campaignLive: boolean;
  isSelf: boolean;
  /** The liker's and the sharer's team in the campaign (null: none). */
  likerTeamId: string | null;
  sharerTeamId: string | null;
  likedThisSharerToday: boolean;
  likesGivenToday: number;
  sharerLikesReceivedToday: number;
  rules: Pick<CampaignRules, 'dailyLikeCap' | 'sharerDailyLikeCap' | 'teammateLikes'>;
}

/**
 * Why a like would be refused right now, in the order the like statement (`like_shares` in the
 * migrations) checks; null when allowed.
 */
export function likeBlockedBy(f: LikeFacts): LikeBlocker | null {
  if (!f.authenticated) return 'UNAUTHENTICATED';
  if (!f.campaignLive) return 'CAMPAIGN_NOT_ACTIVE';
  if (f.isSelf) return 'SELF_LIKE';
  const teammate = teammateLikeBlockedBy(f.rules, f.likerTeamId, f.sharerTeamId);
  if (teammate) return teammate;
  if (f.likedThisSharerToday) return 'ALREADY_LIKED';
  if (f.likesGivenToday >= f.rules.dailyLikeCap) return 'DAILY_LIKE_CAP';
  if (f.rules.sharerDailyLikeCap !== null && f.sharerLikesReceivedToday >= f.rules.sharerDailyLikeCap) {
    return 'SHARER_DAILY_CAP';
  }
  return null;
}
