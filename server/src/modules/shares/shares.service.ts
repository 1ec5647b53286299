import { LRUCache } from 'lru-cache';
import type { Group, LikeResponse, ShareChannel, ShareKind, ShareLanding, ShareResponse, Team } from '@jizan/shared';
import { shareImagePath, sharePagePath } from '@jizan/shared/constants';
import type { Db, Executor } from '../../db/client.js';
import type { BoardSync } from '../../lib/board-sync.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { iso } from '../../lib/time.js';
import { campaignDay } from '../campaigns/campaign-rules.js';
import { cachedCampaign, campaignForRead, ensureParticipant, requireCampaign, requireLiveCampaign, toCampaignSummary, type Campaign } from '../campaigns/campaigns.service.js';
import type { GroupBuyDeps } from '../groupbuy/groupbuy.deps.js';
import { getProduct } from '../groupbuy/groupbuy.service.js';
import { getGroup, groupJoinBlockedBy, joinGroup } from '../groupbuy/groups.service.js';
import { runOnce, type Idempotency, type Outcome } from '../idempotency/idempotency.service.js';
import { cardHelpersOf, like, likeBlockerFrom, StaleCampaignError } from '../likes/likes.service.js';
import { nextRedPacketTier } from '../redpackets/redpackets.service.js';
import { joinBlockerFrom, joinTeam, teamSummaryFrom, teamSummaryOf } from '../teams/teams.service.js';
import { requireUser } from '../users/users.service.js';
import { shouldAttribute } from './attribution.js';
import type { ShareOpenRecorder } from './share-opens.js';
import { createShareToken, isGenuineShareToken } from './share-token.js';
import * as repo from './shares.repository.js';

export interface ShareDeps {
  db: Db;
  clock: Clock;
  /** Signs share tokens so forged ones are refused before any query. */
  shareSecret: Uint8Array;
  /** Told about each like once it commits (a board kept outside PostgreSQL follows it). */
  boards: BoardSync;
}

/** What a card is about beyond its sharer: their team, or a group-buy card's product and seats left. */
export type CardSubject = { teamName: string | null } | { productTitle: string; seatsLeft: number };

/** Card titles as the chat shows them; the sharer's name makes friends trust the card. */
export function shareTitle(kind: ShareKind, sharerName: string, campaignName: string, subject: CardSubject): string {
  if (kind === 'groupbuy' && 'productTitle' in subject) {
    return `${sharerName}邀你拼「${subject.productTitle}」，还差 ${subject.seatsLeft} 人`;
  }
  const teamName = 'teamName' in subject ? subject.teamName : null;
  return kind === 'team' && teamName
    ? `${sharerName}邀你加入队伍「${teamName}」，一起集能量`
    : `${sharerName}请你助力「${campaignName}」，帮我集能量`;
}

/**
 * A group-buy card may be sent only by a member of that group, of a group of this campaign: its
 * title says how many seats are left. Returns what the title names.
 */
async function groupCardSubject(deps: ShareDeps, campaignId: string, userId: string, groupId: string | undefined) {
  if (!groupId) throw new AppError('VALIDATION_FAILED', 'A groupbuy card needs the groupId it invites to', { field: 'groupId' });
  const group = await getGroup(deps, groupId, userId);
  if (group.campaignId !== campaignId) throw new AppError('GROUP_NOT_FOUND', 'No such group buy in this campaign');
  if (!group.members.some((m) => m.id === userId)) throw new AppError('NOT_IN_GROUP', 'Join this group buy before inviting friends to it');
  const product = await getProduct(deps, group.productId);
  return { groupId: group.id, subject: { productTitle: product.title, seatsLeft: group.seatsLeft } };
}

/** Makes a card; a retry under the same Idempotency-Key answers the first card instead of a new one. */
export function createShare(
  deps: ShareDeps,
  input: { userId: string; campaignId: string; kind: ShareKind; groupId?: string | undefined; idempotency: Idempotency },
): Promise<Outcome<ShareResponse>> {
  const now = deps.clock.now();
  return runOnce(deps, { userId: input.userId, ...input.idempotency, statusCode: 201 }, async (tx) => {
    const campaign = await requireLiveCampaign(tx, input.campaignId, now);
    const [team, sharer] = await Promise.all([teamSummaryOf(tx, campaign, input.userId), requireUser(tx, input.userId)]);
    if (input.kind === 'team' && !team) throw new AppError('NOT_IN_TEAM', 'Create or join a team before inviting to it');
    const card =
      input.kind === 'groupbuy'
        ? await groupCardSubject({ ...deps, db: tx }, campaign.id, input.userId, input.groupId)
        : { groupId: null, subject: { teamName: team?.name ?? null } };
    const token = createShareToken(deps.shareSecret);
    await repo.insertShare(tx, {
      token,
      campaignId: campaign.id,
      sharerId: input.userId,
      teamId: team?.id ?? null,
      kind: input.kind,
      groupId: card.groupId,
      at: now,
    });
    await ensureParticipant(tx, campaign.id, input.userId);
    return {
      token,
      path: sharePagePath(token),
      title: shareTitle(input.kind, sharer.nickname, campaign.name, card.subject),
      imageUrl: shareImagePath(input.kind),
    };
  });
}

function notFound(): AppError {
  return new AppError('SHARE_NOT_FOUND', 'This share link is not valid');
}

/**
 * Share cards never change once made, so a token's card is cached (bounded) per instance, per
 * signing key: a token found here was checked genuine when it was put here, so the HMAC is not
 * computed again for it.
 */
const cardsByKey = new WeakMap<Uint8Array, LRUCache<string, repo.ShareRow>>();

/** The card; forged tokens are refused before any query, known ones answered from the cache. */
export async function findCard(deps: ShareDeps, ex: Executor, token: string): Promise<repo.ShareRow> {
  let cards = cardsByKey.get(deps.shareSecret);
  if (!cards) cardsByKey.set(deps.shareSecret, (cards = new LRUCache({ max: 100_000 })));
  const hit = cards.get(token);
  if (hit) return hit;
  if (!isGenuineShareToken(deps.shareSecret, token)) throw notFound();
  const share = await repo.findByToken(ex, token);
  if (!share) throw notFound();
  cards.set(token, share);
  return share;
}

/** The card and its campaign. */
async function resolve(deps: ShareDeps, ex: Executor, token: string): Promise<{ share: repo.ShareRow; campaign: Campaign }> {
  const share = await findCard(deps, ex, token);
  return { share, campaign: await requireCampaign(ex, share.campaignId) };
}

/**
 * What a friend sees on opening a card; records the open and, for a newcomer, who brought them.
 * Read to be cheap on a card the whole chat opens: the card and the campaign from this instance's
 * caches, everything about the sharer and the viewer in one statement (`landingFacts`), the
 * sharer's helpers shared by the card's viewers for a couple of seconds, and the open buffered
 * (written in batches), so a view costs one round trip unless it makes a newcomer's invitation.
 */
export async function openShare(
  deps: ShareDeps & { shareOpens: ShareOpenRecorder },
  token: string,
  viewerId: string | null,
  channel: ShareChannel = 'card',
): Promise<ShareLanding> {
  const now = deps.clock.now();
  const share = await findCard(deps, deps.db, token);
  const campaign = await campaignForRead(deps.db, share.campaignId);
  const groupId = share.kind === 'groupbuy' ? share.groupId : null;
  const [facts, helpers, groupBuy, groupJoinBlocked] = await Promise.all([
    repo.landingFacts(deps.db, { campaignId: campaign.id, sharerId: share.sharerId, viewerId, day: campaignDay(now, campaign.timeZone) }),
    cardHelpersOf(deps.db, campaign.id, share.sharerId),
    groupId ? groupCard(deps, groupId, viewerId) : null,
    groupId ? groupJoinBlockedBy(deps, groupId, viewerId) : null,
  ]);
  if (!facts) throw notFound();
  const { sharer } = facts;
  deps.shareOpens.record(share.id, viewerId, now, channel);
  if (viewerId && shouldAttribute({ viewerId, sharerId: sharer.id, viewerHasInviter: facts.viewerHasInviter, viewerHasShared: facts.viewerHasShared })) {
    await repo.recordInvitation(deps.db, { campaignId: campaign.id, inviteeId: viewerId, inviterId: sharer.id, shareId: share.id, at: now });
  }

  const team = facts.sharerTeam ? teamSummaryFrom(campaign, facts.sharerTeam) : null;
  const likeBlocked = likeBlockerFrom(campaign, viewerId, sharer.id, now, {
    likedThisSharerToday: facts.likedThisSharerToday,
    likesGivenToday: facts.likesGivenToday,
    sharerLikesReceivedToday: facts.sharerLikesReceivedToday,
    likerTeamId: facts.viewerTeamId,
    sharerTeamId: facts.sharerTeam?.id ?? null,
  });
  const joinBlocked = groupId ? groupJoinBlocked : joinBlockerFrom(campaign, viewerId, facts.viewerTeamId, team, now);
  return {
    token,
    kind: share.kind,
    createdAt: iso(share.createdAt),
    sharer,
    campaign: toCampaignSummary(campaign, now),
    sharerEnergy: facts.sharerEnergy,
    helpers,
    sharerNextTier: nextRedPacketTier(campaign.rules, facts.sharerEnergy),
    team,
    groupBuy,
    viewer: {
      authenticated: viewerId !== null,
      isSharer: viewerId === sharer.id,
      teamId: facts.viewerTeamId,
      canLike: likeBlocked === null,
      likeBlockedBy: likeBlocked,
      canJoin: joinBlocked === null,
      joinBlockedBy: joinBlocked,
    },
  };
}

/** A group-buy card's group as it is now, with its product. */
async function groupCard(deps: ShareDeps, groupId: string, viewerId: string | null): Promise<ShareLanding['groupBuy']> {
  const group = await getGroup(deps, groupId, viewerId);
  const { openGroups: _, ...product } = await getProduct(deps, group.productId);
  return { product, group };
}

export interface ShareActionRequest {
  token: string;
  userId: string;
  /** The Idempotency-Key and the fingerprint of the whole request it came with. */
  idempotency: Idempotency;
}

/** A friend's action on a card: resolved and run in one idempotent transaction. */
function actOnShare<T>(
  deps: ShareDeps,
  req: ShareActionRequest,
  work: (target: Awaited<ReturnType<typeof resolve>>, tx: Executor) => Promise<T>,
): Promise<Outcome<T>> {
  return runOnce(deps, { userId: req.userId, ...req.idempotency, statusCode: 200 }, async (tx) => work(await resolve(deps, tx, req.token), tx));
}

/**
 * A friend's like: one statement, against the cached card and campaign. A campaign changed since
 * it was cached (the statement says so, or the cached window says it is not live) is read again
 * and the like tried once more on the fresh copy.
 */
export async function likeShare(deps: ShareDeps, req: ShareActionRequest): Promise<Outcome<LikeResponse>> {
  const share = await findCard(deps, deps.db, req.token);
  const attempt = (campaign: Campaign) => like(deps, { campaign, share }, { likerId: req.userId, idempotency: req.idempotency });
  try {
    return await attempt(await cachedCampaign(deps.db, share.campaignId));
  } catch (err) {
    const mayBeStale = err instanceof StaleCampaignError || (err instanceof AppError && err.code === 'CAMPAIGN_NOT_ACTIVE');
    if (!mayBeStale) throw err;
    return attempt(await requireCampaign(deps.db, share.campaignId));
  }
}

/**
 * A card's join. A `groupbuy` card seats the friend in its group at the group price, the order
 * remembering the card so the sharer is credited once it is paid (the group buy's join owns that
 * transaction and the idempotency). A `like` or `team` card leads to the sharer's team.
 */
export async function joinThroughShare(
  deps: ShareDeps & { groupBuy: GroupBuyDeps },
  req: ShareActionRequest,
): Promise<Outcome<Team | Group>> {
  // Only the card's kind is needed here: each join reads (and checks) the campaign itself.
  const share = await findCard(deps, deps.db, req.token);
  if (share.kind === 'groupbuy' && share.groupId) {
    return joinGroup(deps.groupBuy, { userId: req.userId, groupId: share.groupId, shareId: share.id, idempotency: req.idempotency });
  }
  return joinSharersTeam(deps, req);
}

/** Joins the sharer's team through their card. */
export function joinSharersTeam(deps: ShareDeps, req: ShareActionRequest): Promise<Outcome<Team>> {
  return actOnShare(deps, req, async ({ share, campaign }, tx) => {
    const team = await teamSummaryOf(tx, campaign, share.sharerId);
    if (!team) throw new AppError('NOT_IN_TEAM', 'Your friend has no team to join yet');
    return joinTeam(deps, { teamId: team.id, userId: req.userId }, tx);
  });
}
