import type { LikeResponse, ShareKind, ShareLanding, ShareResponse, Team } from '@jizan/shared';
import { sharePagePath } from '@jizan/shared/constants';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { iso } from '../../lib/time.js';
import { ensureParticipant, requireCampaign, requireLiveCampaign, toCampaignSummary, type Campaign } from '../campaigns/campaigns.service.js';
import { runOnce, type Idempotency, type Outcome } from '../idempotency/idempotency.service.js';
import { like, likeBlockedFor } from '../likes/likes.service.js';
import { joinBlockedFor, joinTeam, teamSummaryOf } from '../teams/teams.service.js';
import { findUserSummary, requireUser } from '../users/users.service.js';
import { shouldAttribute } from './attribution.js';
import { createShareToken, isGenuineShareToken } from './share-token.js';
import * as repo from './shares.repository.js';

export interface ShareDeps {
  db: Db;
  clock: Clock;
  /** Signs share tokens so forged ones are refused before any query. */
  shareSecret: Uint8Array;
}

/** Card titles as the chat shows them; the sharer's name makes friends trust the card. */
export function shareTitle(kind: ShareKind, sharerName: string, campaignName: string, teamName: string | null): string {
  return kind === 'team' && teamName
    ? `${sharerName}邀你加入队伍「${teamName}」，一起集能量`
    : `${sharerName}请你助力「${campaignName}」，帮我集能量`;
}

/** Makes a card; a retry under the same Idempotency-Key answers the first card instead of a new one. */
export function createShare(
  deps: ShareDeps,
  input: { userId: string; campaignId: string; kind: ShareKind; idempotency: Idempotency },
): Promise<Outcome<ShareResponse>> {
  const now = deps.clock.now();
  return runOnce(deps, { userId: input.userId, ...input.idempotency, statusCode: 201 }, async (tx) => {
    const campaign = await requireLiveCampaign(tx, input.campaignId, now);
    const [team, sharer] = await Promise.all([teamSummaryOf(tx, campaign, input.userId), requireUser(tx, input.userId)]);
    if (input.kind === 'team' && !team) throw new AppError('NOT_IN_TEAM', 'Create or join a team before inviting to it');
    const token = createShareToken(deps.shareSecret);
    await repo.insertShare(tx, { token, campaignId: campaign.id, sharerId: input.userId, teamId: team?.id ?? null, kind: input.kind, at: now });
    await ensureParticipant(tx, campaign.id, input.userId);
    return { token, path: sharePagePath(token), title: shareTitle(input.kind, sharer.nickname, campaign.name, team?.name ?? null) };
  });
}

function notFound(): AppError {
  return new AppError('SHARE_NOT_FOUND', 'This share link is not valid');
}

/** The card and its campaign; forged tokens are refused before any query. */
async function resolve(deps: ShareDeps, ex: Executor, token: string): Promise<{ share: repo.ShareRow; campaign: Campaign }> {
  if (!isGenuineShareToken(deps.shareSecret, token)) throw notFound();
  const share = await repo.findByToken(ex, token);
  if (!share) throw notFound();
  return { share, campaign: await requireCampaign(ex, share.campaignId) };
}

/** What a friend sees on opening a card; records the open and, for a newcomer, who brought them. */
export async function openShare(deps: ShareDeps, token: string, viewerId: string | null): Promise<ShareLanding> {
  const now = deps.clock.now();
  const { share, campaign } = await resolve(deps, deps.db, token);
  const sharer = await findUserSummary(deps.db, share.sharerId);
  if (!sharer) throw notFound();
  await repo.recordOpen(deps.db, share.id, viewerId, now);
  if (viewerId) {
    const facts = await repo.attributionFacts(deps.db, campaign.id, viewerId);
    if (shouldAttribute({ viewerId, sharerId: sharer.id, ...facts })) {
      await repo.recordInvitation(deps.db, { campaignId: campaign.id, inviteeId: viewerId, inviterId: sharer.id, shareId: share.id, at: now });
    }
  }

  const team = await teamSummaryOf(deps.db, campaign, sharer.id);
  const [likeBlocked, joinBlocked] = await Promise.all([
    likeBlockedFor(deps.db, campaign, viewerId, sharer.id, now),
    joinBlockedFor(deps.db, campaign, viewerId, team, now),
  ]);
  return {
    token,
    kind: share.kind,
    createdAt: iso(share.createdAt),
    sharer,
    campaign: toCampaignSummary(campaign, now),
    team,
    viewer: {
      authenticated: viewerId !== null,
      isSharer: viewerId === sharer.id,
      canLike: likeBlocked === null,
      likeBlockedBy: likeBlocked,
      canJoin: joinBlocked === null,
      joinBlockedBy: joinBlocked,
    },
  };
}

export interface ShareActionRequest {
  token: string;
  userId: string;
  idempotency: Idempotency;
}

/** A friend's action on a card: resolved and run in one idempotent transaction. */
function actOnShare<T>(
  deps: ShareDeps,
  action: 'like' | 'join',
  req: ShareActionRequest,
  work: (target: Awaited<ReturnType<typeof resolve>>, tx: Executor) => Promise<T>,
): Promise<Outcome<T>> {
  return runOnce(deps, { userId: req.userId, ...req.idempotency, statusCode: 200 }, async (tx) =>
    work(await resolve(deps, tx, req.token), tx),
  );
}

export function likeShare(deps: ShareDeps, req: ShareActionRequest): Promise<Outcome<LikeResponse>> {
  return actOnShare(deps, 'like', req, ({ share, campaign }, tx) => like(deps, { campaign, share }, req.userId, tx));
}

/** Joins the sharer's team through their card (either kind of card leads to the sharer's team). */
export function joinThroughShare(deps: ShareDeps, req: ShareActionRequest): Promise<Outcome<Team>> {
  return actOnShare(deps, 'join', req, async ({ share, campaign }, tx) => {
    const team = await teamSummaryOf(tx, campaign, share.sharerId);
    if (!team) throw new AppError('NOT_IN_TEAM', 'Your friend has no team to join yet');
    return joinTeam(deps, { teamId: team.id, userId: req.userId }, tx);
  });
}
