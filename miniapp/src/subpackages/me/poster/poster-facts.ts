import type { CampaignRedPackets, Me } from '@jizan/shared';
import { S } from '../../../strings';

/** What the poster says about its sharer, read once from the profile and the red-packet ladder. */
export interface PosterFacts {
  name: string;
  avatarUrl: string | null;
  energy: number;
  /** The line under the bar: "N / next", "all reached", or none when the campaign has no rungs. */
  progressText: string | null;
  /** 0..1 of the way to the next rung (1 once every rung is reached). */
  fill: number;
}

export function posterFacts(me: Pick<Me, 'nickname' | 'avatarUrl'>, rp: Pick<CampaignRedPackets, 'energy' | 'nextTier' | 'tiers'>): PosterFacts {
  const base = { name: me.nickname, avatarUrl: me.avatarUrl, energy: rp.energy };
  if (rp.nextTier) {
    const next = rp.nextTier.energy;
    return { ...base, progressText: S.poster.progress(rp.energy, next), fill: next > 0 ? Math.min(1, Math.max(0, rp.energy) / next) : 0 };
  }
  if (rp.tiers.length > 0) return { ...base, progressText: S.poster.progressTop, fill: 1 };
  return { ...base, progressText: null, fill: 0 };
}

/** Why a save to the album did not happen, from the platform's errMsg. */
export type SaveRefusal = 'denied' | 'cancelled' | 'failed';

/**
 * The album permission refused (now or earlier: the platform then refuses without asking again),
 * which only the settings page can undo; a cancelled sheet is the user's choice and says nothing.
 */
export function saveRefusalOf(errMsg: string): SaveRefusal {
  if (/auth|privacy|permission/i.test(errMsg)) return 'denied';
  if (/cancel/i.test(errMsg)) return 'cancelled';
  return 'failed';
}

/** The card a poster shows is kept per user and campaign: every new card would cost a new code from the platform. */
export function posterCardKey(userId: string, campaignId: string): string {
  return `jizan.posterCard.${userId}.${campaignId}`;
}
