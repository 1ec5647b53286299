import type { FriendGroup, LikeBlocker, LikeResponse, MyLikesResponse } from '@jizan/shared';
import { LIMITS } from '@jizan/shared/constants';
import type { Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { assertLive, campaignDay, isLive } from '../campaigns/campaign-rules.js';
import { requireCampaign, type Campaign } from '../campaigns/campaigns.service.js';
import { markFirstLike } from '../users/users.service.js';
import { likeBlockedBy, likeEnergy, likesLeftToday, teammateLikeBlockedBy } from './like-rules.js';
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
  const [likedToday, given, received, teams] = viewerId
    ? await Promise.all([
        repo.hasLiked(ex, { ...key, likerId: viewerId, sharerId }),
        repo.countOn(ex, { ...key, userId: viewerId, direction: 'given' }),
        repo.countOn(ex, { ...key, userId: sharerId, direction: 'received' }),
        repo.teamsOf(ex, { campaignId: campaign.id, likerId: viewerId, sharerId }),
      ])
    : [false, 0, 0, { likerTeamId: null, sharerTeamId: null }];
  return likeBlockedBy({
    authenticated: viewerId !== null,
    campaignLive: isLive(campaign, now),
    isSelf: viewerId === sharerId,
    ...teams,
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
  const teams = await repo.teamsOf(tx, { campaignId: campaign.id, likerId, sharerId: share.sharerId });
  if (teammateLikeBlockedBy(campaign.rules, teams.likerTeamId, teams.sharerTeamId)) {
    throw new AppError('TEAMMATE_LIKE', 'Teammates cannot like each other in this campaign; invite friends from outside the team');
  }

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

/** Who liked `userId` in a campaign (已有 N 位好友助力), for their home and their share landing. */
export function helpersOf(ex: Executor, campaignId: string, userId: string): Promise<FriendGroup> {
  return repo.friendsOf(ex, { campaignId, userId, side: 'helpers', limit: LIMITS.friendsShown });
}

/** Both sides of my likes in a campaign: who helped me and whom I helped. */
export async function myLikes(deps: { db: Executor }, userId: string, campaignId: string): Promise<MyLikesResponse> {
  await requireCampaign(deps.db, campaignId);
  const [helpers, helped] = await Promise.all([
    helpersOf(deps.db, campaignId, userId),
    repo.friendsOf(deps.db, { campaignId, userId, side: 'helped', limit: LIMITS.friendsShown }),
  ]);
  return { helpers, helped };
}

/**
 * Takes back every like a liker gave (one campaign, or all when null) through compensating ledger
 * rows, inside the caller's transaction; a like already voided is skipped. Answers what moved and
 * whose energy it took back (`credited`: the sharers the liker had credited).
 */
export function voidLikesBy(
  tx: Executor,
  likerId: string,
  campaignId: string | null,
  at: Date,
): Promise<{ likes: number; energy: number; credited: string[] }> {
  return repo.voidLikesBy(tx, { likerId, campaignId, at });
}
