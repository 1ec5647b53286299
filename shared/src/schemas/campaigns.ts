import { RED_PACKET_TIERS_MAX, RedPacketTierRule, TeammateLikes } from './redpackets.js';
import { Type, type Static } from 'typebox';
import { Energy, Id, Timestamp } from './common.js';
import { TeamSummary } from './teams.js';

/** Fen amounts a campaign may state: far above any real budget, still exact as a JavaScript number. */
const ruleFen = () => Type.Integer({ minimum: 0, maximum: 1_000_000_000_000, default: 0 });

/**
 * A campaign's rules, stored as JSON on the campaign and validated with this schema on write.
 * Every field has a default so an operator only states what differs.
 */
export const CampaignRules = Type.Object({
  teamSizeLimit: Type.Integer({ minimum: 1, maximum: 200, default: 5 }),
  likeEnergy: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 10 }),
  /** A liker's first like ever is worth this many times `likeEnergy` (新用户助力加倍). */
  firstLikeMultiplier: Type.Integer({ minimum: 1, maximum: 100, default: 2 }),
  /** Energy a sharer earns when a friend joins a group buy from their card and pays (once per friend per group). */
  groupJoinEnergy: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 30 }),
  /** Likes one liker may give per campaign day, across all sharers. */
  dailyLikeCap: Type.Integer({ minimum: 1, maximum: 10_000, default: 20 }),
  /** Likes one sharer may receive per campaign day; null means no cap. */
  sharerDailyLikeCap: Type.Union([Type.Integer({ minimum: 1, maximum: 1_000_000 }), Type.Null()], {
    default: null,
  }),
  /**
   * Whether teammates may like each other's cards. Refused by default: energy becomes money, and a
   * team liking itself adds nothing to the relationship chain.
   */
  teammateLikes: Type.Union(TeammateLikes.anyOf, { default: 'refused' }),
  /**
   * The red-packet ladder, energy strictly increasing (1 is the first rung). None by default: a
   * campaign pays nothing until its operator states tiers and a budget.
   */
  redPacketTiers: Type.Array(RedPacketTierRule, { maxItems: RED_PACKET_TIERS_MAX, default: [] }),
  /** Tier red packets can be claimed until this instant; null: until the campaign ends. */
  redPacketClaimDeadline: Type.Union([Timestamp, Type.Null()], { default: null }),
  /** B: all tier red packets and the prize pool together never pay out more than this. */
  redPacketBudget: ruleFen(),
  /** P: split at the end among qualifying teams by energy, then among members by contribution. */
  prizePool: ruleFen(),
  /** Teams with less energy than this do not share the prize pool (a team with none never does). */
  prizePoolMinTeamEnergy: Type.Integer({ minimum: 0, maximum: 1_000_000_000_000, default: 0 }),
});
export type CampaignRules = Static<typeof CampaignRules>;

export const CampaignStatus = Type.Union([
  Type.Literal('upcoming'),
  Type.Literal('live'),
  Type.Literal('ended'),
]);
export type CampaignStatus = Static<typeof CampaignStatus>;

export const CampaignSummary = Type.Object({
  id: Id,
  name: Type.String(),
  startsAt: Timestamp,
  endsAt: Timestamp,
  timeZone: Type.String(),
  status: CampaignStatus,
});
export type CampaignSummary = Static<typeof CampaignSummary>;

export const CampaignListResponse = Type.Object({ campaigns: Type.Array(CampaignSummary) });
export type CampaignListResponse = Static<typeof CampaignListResponse>;

export const CampaignDetail = Type.Object({
  ...CampaignSummary.properties,
  description: Type.String(),
  rules: CampaignRules,
  me: Type.Object({
    energy: Energy,
    /** Likes the caller may still give today (campaign local day). */
    likesLeftToday: Type.Integer({ minimum: 0 }),
    team: Type.Union([TeamSummary, Type.Null()]),
  }),
});
export type CampaignDetail = Static<typeof CampaignDetail>;
