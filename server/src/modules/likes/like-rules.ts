import type { CampaignRules, LikeBlocker } from '@jizan/shared';

/** A like is worth `likeEnergy`; a liker's first like ever is multiplied (新用户助力加倍). */
export function likeEnergy(rules: Pick<CampaignRules, 'likeEnergy' | 'firstLikeMultiplier'>, isNewLiker: boolean): number {
  return rules.likeEnergy * (isNewLiker ? rules.firstLikeMultiplier : 1);
}

export function likesLeftToday(rules: Pick<CampaignRules, 'dailyLikeCap'>, givenToday: number): number {
  return Math.max(0, rules.dailyLikeCap - givenToday);
}

export interface LikeFacts {
  authenticated: boolean;
  campaignLive: boolean;
  isSelf: boolean;
  likedThisSharerToday: boolean;
  likesGivenToday: number;
  sharerLikesReceivedToday: number;
  rules: Pick<CampaignRules, 'dailyLikeCap' | 'sharerDailyLikeCap'>;
}

/** Why a like would be refused right now, in the order the like itself checks; null when allowed. */
export function likeBlockedBy(f: LikeFacts): LikeBlocker | null {
  if (!f.authenticated) return 'UNAUTHENTICATED';
  if (!f.campaignLive) return 'CAMPAIGN_NOT_ACTIVE';
  if (f.isSelf) return 'SELF_LIKE';
  if (f.likedThisSharerToday) return 'ALREADY_LIKED';
  if (f.likesGivenToday >= f.rules.dailyLikeCap) return 'DAILY_LIKE_CAP';
  if (f.rules.sharerDailyLikeCap !== null && f.sharerLikesReceivedToday >= f.rules.sharerDailyLikeCap) {
    return 'SHARER_DAILY_CAP';
  }
  return null;
}
