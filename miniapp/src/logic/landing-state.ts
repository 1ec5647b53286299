import type { LikeResponse, ShareLanding } from '@jizan/shared';
import { errorMessage, messageForCode } from '../services/error-message';
import { isMomentsScene } from '../platform';
import { isApiError } from '../services/http';
import { S } from '../strings';

/** Failures worth a retry button; anything else (a bad link, an ended campaign) will fail the same way again. */
const RETRYABLE = new Set<string>(['NETWORK', 'BAD_RESPONSE', 'INTERNAL', 'SERVICE_UNAVAILABLE', 'RATE_LIMITED']);

export type ActionState =
  | { state: 'available' }
  | { state: 'busy' }
  | { state: 'blocked'; message: string }
  | { state: 'done' }
  | { state: 'hidden' };

export type LandingView =
  | { kind: 'missing-token' }
  | { kind: 'loading' }
  | { kind: 'error'; message: string; retryable: boolean }
  | {
      kind: 'ready';
      /** Single-page mode: show who asked and how to open the mini-program, with no buttons. */
      moments: boolean;
      headline: string;
      /** Shown above the buttons when the whole page is inert (own share, campaign over). */
      notice: string | null;
      like: ActionState;
      join: ActionState;
      likeResult: LikeResponse | null;
    };

export interface LandingInput {
  token: string | null;
  scene: number | null;
  landing: ShareLanding | null;
  /** What loading the landing threw, if it failed. */
  loadError: unknown;
  likeResult: LikeResponse | null;
  liking: boolean;
  joined: boolean;
  joining: boolean;
}

/**
 * Everything the landing page shows follows from what the server said about this viewer plus
 * what they just did, so the rules live here as one pure function and the page only renders.
 */
export function deriveLandingView(input: LandingInput): LandingView {
  if (!input.token) return { kind: 'missing-token' };
  if (input.loadError) {
    const code = isApiError(input.loadError) ? input.loadError.code : null;
    const retryable = code === null || RETRYABLE.has(code);
    return { kind: 'error', message: errorMessage(input.loadError), retryable };
  }
  const l = input.landing;
  if (!l) return { kind: 'loading' };

  const name = l.sharer.nickname;
  const headline =
    l.kind === 'team'
      ? l.team
        ? S.share.teamReason(name, l.team.name)
        : S.share.teamReasonNoTeam(name)
      : S.share.likeReason(name);

  const moments = isMomentsScene(input.scene);
  if (moments) {
    return { kind: 'ready', moments, headline, notice: null, like: { state: 'hidden' }, join: { state: 'hidden' }, likeResult: null };
  }

  const notice = l.viewer.isSharer
    ? S.share.yourOwnShare
    : l.campaign.status === 'ended'
      ? S.share.campaignEnded
      : l.campaign.status === 'upcoming'
        ? S.share.campaignUpcoming
        : null;

  let like: ActionState;
  if (input.likeResult) like = { state: 'done' };
  else if (input.liking) like = { state: 'busy' };
  else if (l.viewer.isSharer) like = { state: 'hidden' };
  else if (l.viewer.canLike) like = { state: 'available' };
  else like = { state: 'blocked', message: messageForCode(l.viewer.likeBlockedBy) ?? S.common.unknownError };

  let join: ActionState;
  if (input.joined) join = { state: 'done' };
  else if (input.joining) join = { state: 'busy' };
  // Nothing to join when the sharer has no team, and a sharer cannot join their own team.
  else if (!l.team || l.viewer.isSharer) join = { state: 'hidden' };
  else if (l.viewer.canJoin) join = { state: 'available' };
  else join = { state: 'blocked', message: messageForCode(l.viewer.joinBlockedBy) ?? S.common.unknownError };

  return { kind: 'ready', moments, headline, notice, like, join, likeResult: input.likeResult };
}
