import { Type, type Static } from 'typebox';
import type { ErrorCode } from '../errors.js';
import { Energy, ErrorCodeOf, Id, Timestamp, UserSummary } from './common.js';
import { CampaignSummary } from './campaigns.js';
import { TeamSummary } from './teams.js';

/** `like`: "help me collect energy"; `team`: "join my team". Either card lets a friend do both. */
export const ShareKind = Type.Union([Type.Literal('like'), Type.Literal('team')]);
export type ShareKind = Static<typeof ShareKind>;

export const CreateShareBody = Type.Object({ campaignId: Id, kind: ShareKind });
export type CreateShareBody = Static<typeof CreateShareBody>;

export const ShareResponse = Type.Object({
  token: Type.String(),
  /** Mini-program page path carrying the token, for the share card. */
  path: Type.String(),
  title: Type.String(),
});
export type ShareResponse = Static<typeof ShareResponse>;

export const ShareTokenParams = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 200 }),
});
export type ShareTokenParams = Static<typeof ShareTokenParams>;

/** Both actions on a card first need a logged-in friend and a live campaign. */
const ACTION_BLOCKERS = ['UNAUTHENTICATED', 'CAMPAIGN_NOT_ACTIVE'] as const satisfies readonly ErrorCode[];

/** Why a like could be refused, in the order the like checks them. */
export const LIKE_BLOCKERS = [...ACTION_BLOCKERS, 'SELF_LIKE', 'TEAMMATE_LIKE', 'ALREADY_LIKED', 'DAILY_LIKE_CAP', 'SHARER_DAILY_CAP'] as const;
export type LikeBlocker = (typeof LIKE_BLOCKERS)[number];

/** Why a join through a card could be refused, in the order the join checks them. */
export const JOIN_BLOCKERS = [...ACTION_BLOCKERS, 'NOT_IN_TEAM', 'ALREADY_IN_TEAM', 'TEAM_FULL'] as const;
export type JoinBlocker = (typeof JOIN_BLOCKERS)[number];

/** The code the action would fail with now, or null when it is allowed. */
function blockedBy<C extends ErrorCode>(codes: readonly C[]) {
  return Type.Union([ErrorCodeOf(codes), Type.Null()], {
    description: 'The error code the action would fail with now, or null when it is allowed',
  });
}

export const ShareLanding = Type.Object({
  token: Type.String(),
  kind: ShareKind,
  createdAt: Timestamp,
  sharer: UserSummary,
  campaign: CampaignSummary,
  /** The sharer's team, which a join through this card enters. */
  team: Type.Union([TeamSummary, Type.Null()]),
  viewer: Type.Object({
    /** False when opened without a login (e.g. the platform's single-page mode). */
    authenticated: Type.Boolean(),
    isSharer: Type.Boolean(),
    canLike: Type.Boolean(),
    likeBlockedBy: blockedBy(LIKE_BLOCKERS),
    canJoin: Type.Boolean(),
    joinBlockedBy: blockedBy(JOIN_BLOCKERS),
  }),
});
export type ShareLanding = Static<typeof ShareLanding>;

export const LikeResponse = Type.Object({
  /** Energy this like added. */
  energy: Energy,
  /** True when this was the liker's first like ever and counted extra. */
  newLikerBonus: Type.Boolean(),
  /** The sharer's campaign energy after the like. */
  sharerEnergy: Energy,
  /** The sharer's team energy after the like; null when the sharer has no team. */
  teamEnergy: Type.Union([Energy, Type.Null()]),
});
export type LikeResponse = Static<typeof LikeResponse>;
