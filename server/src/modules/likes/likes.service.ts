import type { ErrorCode, FriendGroup, LikeBlocker, LikeResponse, MyLikesResponse } from '@jizan/shared';
import { LIMITS } from '@jizan/shared/constants';
import { LRUCache } from 'lru-cache';
import type { Db, Executor } from '../../db/client.js';
import type { BoardSync } from '../../lib/board-sync.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { assertLive, campaignDay, isLive } from '../campaigns/campaign-rules.js';
import { requireCampaign, type Campaign } from '../campaigns/campaigns.service.js';
import { keyReused, type Idempotency, type Outcome } from '../idempotency/idempotency.service.js';
import { likeBlockedBy, likeEnergy, likesLeftToday } from './like-rules.js';
import * as repo from './likes.repository.js';

/** Likes left today for a user who gave `givenToday` (the campaign page reads the counter with its other facts). */
export function likesLeftFrom(campaign: Campaign, givenToday: number): number {
  return likesLeftToday(campaign.rules, givenToday);
}

/** What the landing reads about a viewer and a sharer to say whether a like would go through. */
export interface LikeViewFacts {
  likedThisSharerToday: boolean;
  likesGivenToday: number;
  sharerLikesReceivedToday: number;
  likerTeamId: string | null;
  sharerTeamId: string | null;
}

/**
 * Why the viewer could not like the sharer right now (null: they can), for a landing's button;
 * the same rules as `like`, in its order, from facts the caller read in one statement without
 * taking any lock (the landing reads them with everything else it shows).
 */
export function likeBlockerFrom(campaign: Campaign, viewerId: string | null, sharerId: string, now: Date, facts: LikeViewFacts): LikeBlocker | null {
  return likeBlockedBy({
    authenticated: viewerId !== null,
    campaignLive: isLive(campaign, now),
    isSelf: viewerId === sharerId,
    ...facts,
    rules: campaign.rules,
  });
}

export interface LikeTarget {
  campaign: Campaign;
  share: { id: string; sharerId: string };
}

/** The refusals the like statement answers with, and what the friend is told (the daily cap names its number, below). */
const REFUSALS: Partial<Record<ErrorCode, string>> = {
  SELF_LIKE: 'You cannot like your own share',
  TEAMMATE_LIKE: 'Teammates cannot like each other in this campaign; invite friends from outside the team',
  ALREADY_LIKED: 'You already liked this friend today; come back tomorrow',
  SHARER_DAILY_CAP: 'Your friend has received all the likes allowed today',
};

/** Thrown when the campaign passed in is not the version in the database (a cached copy went stale). */
export class StaleCampaignError extends Error {}

/**
 * One friend's like on a share card: one statement, shared with the likes that arrive beside it
 * (see `repo.likeShare`), with the Idempotency-Key handled inside it. The campaign may come from a
 * cache: the statement checks its version and answers StaleCampaignError when an operator changed
 * it since.
 */
export async function like(
  deps: { db: Db; clock: Clock; boards: BoardSync },
  target: LikeTarget,
  req: { likerId: string; idempotency: Idempotency },
): Promise<Outcome<LikeResponse>> {
  const { campaign } = target;
  const now = deps.clock.now();
  assertLive(campaign, now);
  const rules = campaign.rules;
  const out = await repo.likeShare(deps.db, likeRequest(target, req, now));
  if (out.outcome === 'replayed') return { statusCode: out.status, body: out.body as LikeResponse, replayed: true };
  if (out.outcome === 'refused') {
    if (out.code === 'STALE_CAMPAIGN') throw new StaleCampaignError(campaign.id);
    if (out.code === 'IDEMPOTENCY_KEY_REUSED') throw keyReused();
    const code = out.code as ErrorCode;
    const message = code === 'DAILY_LIKE_CAP' ? `You have used all ${rules.dailyLikeCap} likes for today` : REFUSALS[code];
    throw new AppError(code, message ?? code);
  }
  cardHelpers.delete(`${campaign.id}:${target.share.sharerId}`);
  // Committed: a board kept outside PostgreSQL raises the sharer and their team (it never waits or fails the like).
  deps.boards.liked(campaign.id, target.share.sharerId, out.sharerEnergy, out.teamEnergy);
  return {
    statusCode: 200,
    body: { energy: out.energy, newLikerBonus: out.newLiker, sharerEnergy: out.sharerEnergy, teamEnergy: out.teamEnergy },
    replayed: false,
  };
}

/** What the like statement is given for one like: the card, the liker, and the campaign's rules as cached. */
export function likeRequest(target: LikeTarget, req: { likerId: string; idempotency: Idempotency }, now: Date): repo.LikeRequest {
  const { campaign, share } = target;
  const rules = campaign.rules;
  return {
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
  };
}

/** Who liked `userId` in a campaign (已有 N 位好友助力), for their home. */
export function helpersOf(ex: Executor, campaignId: string, userId: string): Promise<FriendGroup> {
  return repo.friendsOf(ex, { campaignId, userId, side: 'helpers', limit: LIMITS.friendsShown });
}

/** How old the helpers shown on a sharer's card may be, when the like did not go through this instance. */
export const CARD_HELPERS_TTL_MS = 2000;

/** Per instance: a sharer's helpers as their cards show them, read at most every CARD_HELPERS_TTL_MS. */
const cardHelpers = new LRUCache<string, Promise<FriendGroup>>({ max: 50_000, ttl: CARD_HELPERS_TTL_MS });

/**
 * The helpers a sharer's card shows. Counting a popular sharer's likers per view would grow with
 * their likes, so every viewer of the sharer's cards shares one read for a couple of seconds; a
 * like through this instance drops it at once, so the friend who just liked sees themself.
 */
export function cardHelpersOf(ex: Executor, campaignId: string, userId: string): Promise<FriendGroup> {
  const key = `${campaignId}:${userId}`;
  const hit = cardHelpers.get(key);
  if (hit) return hit;
  const helpers = helpersOf(ex, campaignId, userId);
  cardHelpers.set(key, helpers);
  helpers.catch(() => cardHelpers.delete(key));
  return helpers;
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
