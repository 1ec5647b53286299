import type { ErrorCode, FriendGroup, LikeBlocker, LikeResponse, MyLikesResponse } from '@jizan/shared';
import { LIMITS } from '@jizan/shared/constants';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { assertLive, campaignDay, isLive } from '../campaigns/campaign-rules.js';
import { requireCampaign, type Campaign } from '../campaigns/campaigns.service.js';
import type { Idempotency, Outcome } from '../idempotency/idempotency.service.js';
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

/** The refusals the like statement answers with, and what the friend is told. */
const REFUSALS: Partial<Record<ErrorCode, string>> = {
  SELF_LIKE: 'You cannot like your own share',
  TEAMMATE_LIKE: 'Teammates cannot like each other in this campaign; invite friends from outside the team',
  ALREADY_LIKED: 'You already liked this friend today; come back tomorrow',
  DAILY_LIKE_CAP: 'You have used all your likes for today',
  SHARER_DAILY_CAP: 'Your friend has received all the likes allowed today',
  IDEMPOTENCY_KEY_REUSED: 'This Idempotency-Key was already used for a different request',
};

/** Thrown when the campaign passed in is not the version in the database (a cached copy went stale). */
export class StaleCampaignError extends Error {}

/**
 * One friend's like on a share card: one statement (see `repo.likeShare`), with the
 * Idempotency-Key handled inside it. The campaign may come from a cache: the statement checks
 * its version and answers StaleCampaignError when an operator changed it since.
 */
export async function like(
  deps: { db: Db; clock: Clock },
  target: LikeTarget,
  req: { likerId: string; idempotency: Idempotency },
): Promise<Outcome<LikeResponse>> {
  const { campaign, share } = target;
  const now = deps.clock.now();
  assertLive(campaign, now);
  const rules = campaign.rules;
  const out = await repo.likeShare(deps.db, {
    campaignId: campaign.id,
    rulesVersion: campaign.rulesVersion,
    shareId: share.id,
    sharerId: share.sharerId,
    likerId: req.likerId,
    day: campaignDay(now, campaign.timeZone),
    at: now,
    dailyCap: rules.dailyLikeCap,
    sharerCap: rules.sharerDailyLikeCap,
    teammatesAllowed: rules.teammateLikes === 'allowed',
    likeEnergy: likeEnergy(rules, false),
    newLikerEnergy: likeEnergy(rules, true),
    idempotency: req.idempotency,
  });
  if (out.outcome === 'replayed') return { statusCode: out.status, body: out.body as LikeResponse, replayed: true };
  if (out.outcome === 'refused') {
    if (out.code === 'STALE_CAMPAIGN') throw new StaleCampaignError(campaign.id);
    const code = out.code as ErrorCode;
    const message = code === 'DAILY_LIKE_CAP' ? `You have used all ${rules.dailyLikeCap} likes for today` : REFUSALS[code];
    throw new AppError(code, message ?? code);
  }
  return {
    statusCode: 200,
    body: { energy: out.energy, newLikerBonus: out.newLiker, sharerEnergy: out.sharerEnergy, teamEnergy: out.teamEnergy },
    replayed: false,
  };
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
