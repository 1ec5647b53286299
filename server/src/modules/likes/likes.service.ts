import type { LikeBlocker, LikeResponse } from '@jizan/shared';
import type { Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { assertLive, campaignDay, isLive } from '../campaigns/campaign-rules.js';
import type { Campaign } from '../campaigns/campaigns.service.js';
import { markFirstLike } from '../users/users.service.js';
import { likeBlockedBy, likeEnergy, likesLeftToday } from './like-rules.js';
import * as repo from './likes.repository.js';

/** Likes the user may still give today (the campaign's local day). */
export async function likesLeftTodayOf(ex: Executor, campaign: Campaign, userId: string, now: Date): Promise<number> {
  const day = campaignDay(now, campaign.timeZone);
  const given = await repo.countOn(ex, { campaignId: campaign.id, userId, day, direction: 'given' });
  return likesLeftToday(campaign.rules, given);
}

/**
 * Why the viewer could not like the sharer right now (null: they can), for a landing's button;
 * the same rules as `like`, read without taking any lock.
 */
export async function likeBlockedFor(
  ex: Executor,
  campaign: Campaign,
  viewerId: string | null,
  sharerId: string,
  now: Date,
): Promise<LikeBlocker | null> {
  const key = { campaignId: campaign.id, day: campaignDay(now, campaign.timeZone) };
  const [likedToday, given, received] = viewerId
    ? await Promise.all([
        repo.hasLiked(ex, { ...key, likerId: viewerId, sharerId }),
        repo.countOn(ex, { ...key, userId: viewerId, direction: 'given' }),
        repo.countOn(ex, { ...key, userId: sharerId, direction: 'received' }),
      ])
    : [false, 0, 0];
  return likeBlockedBy({
    authenticated: viewerId !== null,
    campaignLive: isLive(campaign, now),
    isSelf: viewerId === sharerId,
    likedThisSharerToday: likedToday,
    likesGivenToday: given,
    sharerLikesReceivedToday: received,
    rules: campaign.rules,
  });
}

export interface LikeTarget {
  campaign: Campaign;
  share: { id: string; sharerId: string };
}

/**
 * One friend's like on a share card, inside the caller's transaction. The guards run in an order
 * that takes row locks consistently (liker's counter, sharer's counter, liker's user row, then the
 * sharer's balances), so concurrent likes in both directions cannot deadlock.
 */
export async function like(deps: { clock: Clock }, target: LikeTarget, likerId: string, tx: Executor): Promise<LikeResponse> {
  const { campaign, share } = target;
  const now = deps.clock.now();
  assertLive(campaign, now);
  if (share.sharerId === likerId) throw new AppError('SELF_LIKE', 'You cannot like your own share');

  const day = campaignDay(now, campaign.timeZone);
  const rules = campaign.rules;
  const key = { campaignId: campaign.id, day };
  if (!(await repo.countLikeWithinCap(tx, { ...key, userId: likerId, direction: 'given', cap: rules.dailyLikeCap }))) {
    throw new AppError('DAILY_LIKE_CAP', `You have used all ${rules.dailyLikeCap} likes for today`);
  }
  if (
    rules.sharerDailyLikeCap !== null &&
    !(await repo.countLikeWithinCap(tx, { ...key, userId: share.sharerId, direction: 'received', cap: rules.sharerDailyLikeCap }))
  ) {
    throw new AppError('SHARER_DAILY_CAP', 'Your friend has received all the likes allowed today');
  }
  const isNewLiker = await markFirstLike(tx, likerId, now);
  const energy = likeEnergy(rules, isNewLiker);
  const credited = await repo.recordLike(tx, {
    campaignId: campaign.id,
    shareId: share.id,
    sharerId: share.sharerId,
    likerId,
    day,
    energy,
    reason: isNewLiker ? 'new_liker_like' : 'like',
    at: now,
  });
  // The unique like already existed: throwing rolls back the counters and the first-like mark too.
  if (!credited) throw new AppError('ALREADY_LIKED', 'You already liked this friend today; come back tomorrow');
  return { energy, newLikerBonus: isNewLiker, sharerEnergy: credited.sharerEnergy, teamEnergy: credited.teamEnergy };
}

/**
 * Takes back every like a liker gave (one campaign, or all when null) through compensating ledger
 * rows, inside the caller's transaction; a like already voided is skipped. Answers what moved.
 */
export function voidLikesBy(tx: Executor, likerId: string, campaignId: string | null, at: Date): Promise<{ likes: number; energy: number }> {
  return repo.voidLikesBy(tx, { likerId, campaignId, at });
}
