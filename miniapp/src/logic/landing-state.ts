import type { LikeResponse, ShareLanding } from '@jizan/shared';
import { failureOf, messageForCode, type Failure } from '../services/error-message';
import { isMomentsScene } from '../platform';
import { S } from '../strings';

export type ActionState =
  /** `error`: why the last try failed, when trying again may work; cleared by the next try. */
  | { state: 'available'; error: string | null }
  | { state: 'busy' }
  /** A refusal, said once: by the refreshed landing, or by the tap when the landing could not refresh. */
  | { state: 'blocked'; message: string }
  | { state: 'done' }
  | { state: 'hidden' };

/** What the viewer can do after the like, chosen by who they are to this card. */
export type NextStep = 'create-team' | 'invite' | 'my-team' | 'home';

export type LandingView =
  | { kind: 'missing-token' }
  | { kind: 'loading' }
  | { kind: 'error'; failure: Failure }
  | {
      kind: 'ready';
      /** Single-page mode: show who asked and how to open the mini-program, with no buttons. */
      moments: boolean;
      headline: string;
      /** Shown above the buttons when the whole page is inert (own share, campaign not live). */
      notice: string | null;
      like: ActionState;
      join: ActionState;
      likeResult: LikeResponse | null;
      /** Primary first; empty while the like is still the thing to do. */
      next: NextStep[];
      /** The team "查看我的队伍" opens. */
      myTeamId: string | null;
    };

export interface LandingInput {
  token: string | null;
  scene: number | null;
  landing: ShareLanding | null;
  /** What the last load of the landing threw, if it failed; ignored once a landing is on screen. */
  loadError: unknown;
  likeResult: LikeResponse | null;
  liking: boolean;
  likeFailure: Failure | null;
  /** The team joined just now through this card. */
  joinedTeamId: string | null;
  joining: boolean;
  joinFailure: Failure | null;
}

/**
 * One action's button. A refusal is shown once: the refreshed landing's reason wins; the tap's
 * own refusal stands in only while the landing still thinks the action is allowed (its refresh
 * failed). A failure that a retry may fix stays under the button until the next try.
 */
function actionState(can: boolean, blockedMessage: string, failure: Failure | null): ActionState {
  if (!can) return { state: 'blocked', message: blockedMessage };
  if (failure && !failure.retryable) return { state: 'blocked', message: failure.message };
  return { state: 'available', error: failure?.message ?? null };
}

function nextSteps(l: ShareLanding, live: boolean, myTeamId: string | null): NextStep[] {
  if (!live) return ['home'];
  if (l.viewer.isSharer) return ['invite', myTeamId ? 'my-team' : 'create-team'];
  if (myTeamId && myTeamId === l.team?.id) return ['my-team', 'invite'];
  if (myTeamId) return ['my-team'];
  return ['create-team'];
}

/**
 * Everything the landing page shows follows from what the server said about this viewer plus
 * what they just did, so the rules live here as one pure function and the page only renders.
 */
export function deriveLandingView(input: LandingInput): LandingView {
  if (!input.token) return { kind: 'missing-token' };
  const l = input.landing;
  // A failed refresh keeps the landing on screen: a failed like must not turn the page into an error.
  if (!l && input.loadError) return { kind: 'error', failure: failureOf(input.loadError) };
  if (!l) return { kind: 'loading' };

  const name = l.sharer.nickname;
  const headline =
    l.kind === 'team'
      ? l.team
        ? S.share.teamReason(name, l.team.name)
        : S.share.teamReasonNoTeam(name)
      : S.share.likeReason(name);
  const myTeamId = input.joinedTeamId ?? l.viewer.teamId;
  const base = { kind: 'ready' as const, headline, likeResult: input.likeResult, myTeamId };

  if (isMomentsScene(input.scene)) {
    return { ...base, moments: true, notice: null, like: { state: 'hidden' }, join: { state: 'hidden' }, likeResult: null, next: [] };
  }

  const live = l.campaign.status === 'live';
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
  // The notice already says why nothing can be done here; a second refusal would repeat it.
  else if (notice) like = { state: 'hidden' };
  else like = actionState(l.viewer.canLike, messageForCode(l.viewer.likeBlockedBy) ?? S.common.unknownError, input.likeFailure);

  let join: ActionState;
  const inAnyTeam = myTeamId !== null || l.viewer.joinBlockedBy === 'ALREADY_IN_TEAM' || input.joinFailure?.code === 'ALREADY_IN_TEAM';
  if (input.joinedTeamId) join = { state: 'done' };
  else if (input.joining) join = { state: 'busy' };
  // No team to join, the sharer's own team, or a viewer who has one: the next step ("查看我的队伍") covers it.
  else if (!l.team || notice || inAnyTeam) join = { state: 'hidden' };
  else join = actionState(l.viewer.canJoin, messageForCode(l.viewer.joinBlockedBy) ?? S.common.unknownError, input.joinFailure);

  const next = like.state === 'available' || like.state === 'busy' ? [] : nextSteps(l, live, myTeamId);
  return { ...base, moments: false, notice, like, join, next };
}
