import { Type, type Static } from 'typebox';
import type { ErrorCode } from '../errors.js';
import { Energy, ErrorCodeOf, Id, Timestamp, UserSummary } from './common.js';
import { CampaignSummary } from './campaigns.js';
import { Group, Product } from './groupbuy.js';
import { NextRedPacketTier } from './redpackets.js';
import { FriendGroup } from './likes.js';
import { TeamSummary } from './teams.js';

/**
 * `like`: "help me collect energy"; `team`: "join my team" (either lets a friend do both);
 * `groupbuy`: "join my group buy" — its join takes a seat in the card's group.
 */
export const ShareKind = Type.Union([Type.Literal('like'), Type.Literal('team'), Type.Literal('groupbuy')]);
export type ShareKind = Static<typeof ShareKind>;

export const CreateShareBody = Type.Object({
  campaignId: Id,
  kind: ShareKind,
  /** Required for a `groupbuy` card: a group the sharer holds a seat in. */
  groupId: Type.Optional(Id),
});
export type CreateShareBody = Static<typeof CreateShareBody>;

export const ShareResponse = Type.Object({
  token: Type.String(),
  /** Mini-program page path carrying the token, for the share card. */
  path: Type.String(),
  title: Type.String(),
  /** The card's picture (5:4): a path on this server, or an https URL. */
  imageUrl: Type.String(),
});
export type ShareResponse = Static<typeof ShareResponse>;

/** How a card reached the viewer: the chat card itself, a poster's code, or Moments (朋友圈). */
export const ShareChannel = Type.Union([Type.Literal('card'), Type.Literal('poster'), Type.Literal('moments')]);
export type ShareChannel = Static<typeof ShareChannel>;

export const ShareLandingQuery = Type.Object({
  /** Where the viewer came from, for the funnel by channel; a card by default. */
  channel: Type.Optional(ShareChannel),
});
export type ShareLandingQuery = Static<typeof ShareLandingQuery>;

/** A poster code's scene: the platform allows 32 visible characters; ours are letters and digits. */
export const ShareSceneParams = Type.Object({
  scene: Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9]+$' }),
});
export type ShareSceneParams = Static<typeof ShareSceneParams>;

/** What a poster code's scene stands for: the card to open. */
export const ShareSceneResponse = Type.Object({
  token: Type.String(),
  path: Type.String(),
});
export type ShareSceneResponse = Static<typeof ShareSceneResponse>;

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

/** Why a join of a group-buy card's group could be refused, in the order the join checks them. */
export const GROUP_JOIN_BLOCKERS = [...ACTION_BLOCKERS, 'GROUP_NOT_FOUND', 'ALREADY_IN_GROUP', 'GROUP_EXPIRED', 'GROUP_FULL', 'GROUP_NOT_OPEN'] as const;
export type GroupJoinBlocker = (typeof GROUP_JOIN_BLOCKERS)[number];

/** A card's join: the sharer's team, or for a `groupbuy` card the card's group. */
const CARD_JOIN_BLOCKERS = [...new Set([...JOIN_BLOCKERS, ...GROUP_JOIN_BLOCKERS])] as (JoinBlocker | GroupJoinBlocker)[];

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
  /** The sharer's energy in the campaign now: what a friend's like adds to. */
  sharerEnergy: Energy,
  /** Friends who liked the sharer in this campaign. */
  helpers: FriendGroup,
  /** The sharer's next red-packet tier and the energy still missing, so a friend sees what the like is for; null at the top or without tiers. */
  sharerNextTier: Type.Union([NextRedPacketTier, Type.Null()]),
  /** The sharer's team, which a join through this card enters. */
  team: Type.Union([TeamSummary, Type.Null()]),
  /** A `groupbuy` card's group as it is now, with its product; null for other kinds. */
  groupBuy: Type.Union([Type.Object({ product: Product, group: Group }), Type.Null()]),
  viewer: Type.Object({
    /** False when opened without a login (e.g. the platform's single-page mode). */
    authenticated: Type.Boolean(),
    isSharer: Type.Boolean(),
    /** The viewer's own team in this campaign (the sharer's when they are teammates), or null. */
    teamId: Type.Union([Id, Type.Null()]),
    canLike: Type.Boolean(),
    likeBlockedBy: blockedBy(LIKE_BLOCKERS),
    /** Whether the card's join is open to the viewer: the sharer's team, or a `groupbuy` card's group. */
    canJoin: Type.Boolean(),
    joinBlockedBy: blockedBy(CARD_JOIN_BLOCKERS),
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
