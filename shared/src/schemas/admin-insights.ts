import { Type, type Static } from 'typebox';
import { AdminPage, AdminPageQuery } from './admin.js';
import { Fen, Id, Timestamp } from './common.js';
import { ShareChannel } from './shares.js';

/**
 * The operators' analytics (admin API, read scope). Counts come from the `insights-rollup` job's
 * tables plus small live tables; `asOf` says up to when the rollups are complete. Lists answer as
 * every admin list does, in an `AdminPage` of their item.
 */

/** A share of a previous count, 0..1 (null when there was nothing to convert). */
const Rate = Type.Union([Type.Number({ minimum: 0 }), Type.Null()]);
const Day = Type.String({ format: 'date', description: 'A campaign-local calendar day' });
const AsOf = Type.Union([Timestamp, Type.Null()], { description: 'Events before this instant are in the rollups (null: not rolled up yet)' });

export const CampaignOverview = Type.Object(
  {
    campaignId: Id,
    asOf: AsOf,
    participants: Type.Integer({ minimum: 0 }),
    teams: Type.Integer({ minimum: 0 }),
    shares: Type.Integer({ minimum: 0 }),
    opens: Type.Integer({ minimum: 0, description: 'Card opens, anonymous ones included (rolled up)' }),
    likes: Type.Integer({ minimum: 0, description: 'Likes (rolled up)' }),
    energyIssued: Type.Integer({ description: 'Energy held by participants: the ledger sum (voided likes subtracted)' }),
    groupBuys: Type.Object({
      opened: Type.Integer({ minimum: 0, description: 'Groups whose opener paid' }),
      open: Type.Integer({ minimum: 0 }),
      succeeded: Type.Integer({ minimum: 0 }),
      succeededWithVirtualSeats: Type.Integer({ minimum: 0 }),
      failed: Type.Integer({ minimum: 0 }),
      realSeats: Type.Integer({ minimum: 0 }),
      virtualSeats: Type.Integer({ minimum: 0, description: 'Seats filled by 模拟成团, counted apart' }),
    }),
    redPackets: Type.Object({
      claimed: Type.Integer({ minimum: 0, description: 'Tier red packets users claimed' }),
      poolShares: Type.Integer({ minimum: 0, description: "Red packets of the prize pool's split (0 until settled)" }),
      paid: Fen,
      budget: Fen,
      budgetLeft: Fen,
      delivered: Type.Integer({ minimum: 0 }),
      pending: Type.Integer({ minimum: 0 }),
      failed: Type.Integer({ minimum: 0, description: 'Refused for good or out of attempts: waiting for an operator' }),
      settledAt: Type.Union([Timestamp, Type.Null()]),
    }),
    coupons: Type.Object(
      {
        issued: Type.Integer({ minimum: 0, description: 'Coupons claimed on coupon rungs' }),
        issuedValue: Fen,
        redeemed: Type.Integer({ minimum: 0, description: 'Coupons on an order now (a cancelled or refunded order gave its coupon back)' }),
        redeemedValue: Fen,
        expired: Type.Integer({ minimum: 0 }),
        redemptionRate: Rate,
        gmv: Fen,
      },
      {
        description:
          'Face value is counted when a coupon is issued, the budget only when it is redeemed: issuedValue is what was promised, ' +
          'redeemedValue what the red-packet budget paid (the discounts of orders holding a coupon now, already out of budgetLeft). ' +
          'redemptionRate = redeemed / issued; gmv = what the paid and grouped orders carrying a coupon cost their buyers.',
      },
    ),
  },
  {
    examples: [
      {
        campaignId: '6f1c1c7e-3f0a-4a51-9d3e-0c5b1c3b1a11',
        asOf: '2026-11-11T04:00:00.000Z',
        participants: 1200,
        teams: 180,
        shares: 950,
        opens: 8400,
        likes: 6100,
        energyIssued: 64000,
        groupBuys: { opened: 40, open: 5, succeeded: 30, succeededWithVirtualSeats: 3, failed: 5, realSeats: 112, virtualSeats: 4 },
        redPackets: {
          claimed: 210,
          poolShares: 0,
          paid: 39480,
          budget: 100000,
          budgetLeft: 60520,
          delivered: 208,
          pending: 2,
          failed: 0,
          settledAt: null,
        },
        coupons: { issued: 120, issuedValue: 120000, redeemed: 45, redeemedValue: 45000, expired: 10, redemptionRate: 0.375, gmv: 44550 },
      },
    ],
  },
);
export type CampaignOverview = Static<typeof CampaignOverview>;

export const FunnelQuery = Type.Object({
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
});
export type FunnelQuery = Static<typeof FunnelQuery>;

export const FunnelStageKey = Type.Union([
  Type.Literal('shares'),
  Type.Literal('opens'),
  Type.Literal('openers'),
  Type.Literal('liked'),
  Type.Literal('joinedTeam'),
  Type.Literal('groupBuy'),
  Type.Literal('paid'),
]);
export type FunnelStageKey = Static<typeof FunnelStageKey>;

export const FunnelStage = Type.Object({
  key: FunnelStageKey,
  count: Type.Integer({ minimum: 0 }),
  /** This count over the previous stage's. */
  fromPrevious: Rate,
  /** For the user stages: this count over the unique openers. */
  fromOpeners: Rate,
});
export type FunnelStage = Static<typeof FunnelStage>;

/** The funnel of one channel: its opens in the range, and the openers whose first open came by it. */
export const ChannelFunnel = Type.Object(
  {
    channel: ShareChannel,
    opens: Type.Integer({ minimum: 0, description: 'Opens by this channel in the range, anonymous ones included' }),
    stages: Type.Array(FunnelStage, {
      description: "openers, liked, joinedTeam, groupBuy, paid, as in the whole funnel; openers' fromPrevious is over this channel's opens",
    }),
  },
  { description: "A user counts under the channel of their first open only (ties at one instant go to the channel first by name)" },
);
export type ChannelFunnel = Static<typeof ChannelFunnel>;

export const CampaignFunnel = Type.Object(
  {
    campaignId: Id,
    asOf: AsOf,
    /** The range used, rounded out to whole hours: [from, to). */
    from: Timestamp,
    to: Timestamp,
    stages: Type.Array(FunnelStage),
    channels: Type.Array(ChannelFunnel, { description: 'The funnel split by how cards reached people: always card, poster, moments, in that order' }),
  },
  {
    description:
      'shares and opens count events in the range; openers are users who first opened a card in it; the later stages count those openers who liked, joined a team (through a card), opened or joined a group buy, and paid, before `to`. ' +
      "channels splits opens by their channel and the openers by their first open's channel.",
    examples: [
      {
        campaignId: '6f1c1c7e-3f0a-4a51-9d3e-0c5b1c3b1a11',
        asOf: '2026-11-11T04:00:00.000Z',
        from: '2026-11-10T00:00:00.000Z',
        to: '2026-11-11T00:00:00.000Z',
        stages: [
          { key: 'shares', count: 100, fromPrevious: null, fromOpeners: null },
          { key: 'opens', count: 800, fromPrevious: 8, fromOpeners: null },
          { key: 'openers', count: 400, fromPrevious: 0.5, fromOpeners: 1 },
          { key: 'liked', count: 300, fromPrevious: 0.75, fromOpeners: 0.75 },
          { key: 'joinedTeam', count: 60, fromPrevious: 0.2, fromOpeners: 0.15 },
          { key: 'groupBuy', count: 30, fromPrevious: 0.5, fromOpeners: 0.075 },
          { key: 'paid', count: 24, fromPrevious: 0.8, fromOpeners: 0.06 },
        ],
        channels: [
          {
            channel: 'card',
            opens: 600,
            stages: [
              { key: 'openers', count: 300, fromPrevious: 0.5, fromOpeners: 1 },
              { key: 'liked', count: 240, fromPrevious: 0.8, fromOpeners: 0.8 },
              { key: 'joinedTeam', count: 48, fromPrevious: 0.2, fromOpeners: 0.16 },
              { key: 'groupBuy', count: 24, fromPrevious: 0.5, fromOpeners: 0.08 },
              { key: 'paid', count: 20, fromPrevious: 0.8333, fromOpeners: 0.0667 },
            ],
          },
          {
            channel: 'poster',
            opens: 150,
            stages: [
              { key: 'openers', count: 75, fromPrevious: 0.5, fromOpeners: 1 },
              { key: 'liked', count: 45, fromPrevious: 0.6, fromOpeners: 0.6 },
              { key: 'joinedTeam', count: 9, fromPrevious: 0.2, fromOpeners: 0.12 },
              { key: 'groupBuy', count: 5, fromPrevious: 0.5556, fromOpeners: 0.0667 },
              { key: 'paid', count: 3, fromPrevious: 0.6, fromOpeners: 0.04 },
            ],
          },
          {
            channel: 'moments',
            opens: 50,
            stages: [
              { key: 'openers', count: 25, fromPrevious: 0.5, fromOpeners: 1 },
              { key: 'liked', count: 15, fromPrevious: 0.6, fromOpeners: 0.6 },
              { key: 'joinedTeam', count: 3, fromPrevious: 0.2, fromOpeners: 0.12 },
              { key: 'groupBuy', count: 1, fromPrevious: 0.3333, fromOpeners: 0.04 },
              { key: 'paid', count: 1, fromPrevious: 1, fromOpeners: 0.04 },
            ],
          },
        ],
      },
    ],
  },
);
export type CampaignFunnel = Static<typeof CampaignFunnel>;

export const InvitesQuery = Type.Object({
  campaignId: Type.Optional(Type.String({ ...Id, description: 'The campaign [the latest the user took part in or was invited to]' })),
  depth: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, description: 'Levels below the user [3]' })),
});
export type InvitesQuery = Static<typeof InvitesQuery>;

export interface InviteNode {
  userId: string;
  nickname: string;
  children: InviteNode[];
}
/**
 * A node of the invite tree. `children` nests the same shape; it is declared loosely (objects) so
 * the serializer and the OpenAPI document need no recursive reference.
 */
export const InviteNodeSchema = Type.Unsafe<InviteNode>(
  Type.Object({
    userId: Id,
    nickname: Type.String(),
    children: Type.Array(Type.Object({}, { additionalProperties: true, description: 'An InviteNode' })),
  }, { description: 'The user and, nested, whom they brought' }),
);

export const InviteTree = Type.Object(
  {
    campaignId: Id,
    root: InviteNodeSchema,
    /** Levels below the root that have anyone (0: brought nobody). */
    depth: Type.Integer({ minimum: 0 }),
    /** People in the tree below the root, within the depth asked for. */
    size: Type.Integer({ minimum: 0 }),
    /** True when the tree was cut at the node limit or at the depth asked for while going deeper. */
    truncated: Type.Boolean(),
  },
  {
    examples: [
      {
        campaignId: '6f1c1c7e-3f0a-4a51-9d3e-0c5b1c3b1a11',
        root: {
          userId: '0b7a1b7e-2f0a-4a51-9d3e-0c5b1c3b1a11',
          nickname: '小明',
          children: [{ userId: '1c8b2c8f-3a1b-4b62-8e4f-1d6c2d4c2b22', nickname: '小红', children: [] }],
        },
        depth: 1,
        size: 1,
        truncated: false,
      },
    ],
  },
);
export type InviteTree = Static<typeof InviteTree>;

export const TopInviter = Type.Object(
  {
    userId: Id,
    nickname: Type.String(),
    /** People this user brought directly (first card they opened was this user's). */
    invited: Type.Integer({ minimum: 0 }),
  },
  { examples: [{ userId: '0b7a1b7e-2f0a-4a51-9d3e-0c5b1c3b1a11', nickname: '小明', invited: 12 }] },
);
export type TopInviter = Static<typeof TopInviter>;

export const TopInvitersPage = AdminPage(TopInviter);

export const KFactorDay = Type.Object(
  {
    day: Day,
    /** Participants whose first day in the campaign this was. */
    newParticipants: Type.Integer({ minimum: 0 }),
    /** People those new participants went on to bring (at any time since). */
    invited: Type.Integer({ minimum: 0 }),
    /** invited / newParticipants: above 1, each day's newcomers more than replace themselves. */
    kFactor: Rate,
  },
  { examples: [{ day: '2026-11-10', newParticipants: 200, invited: 260, kFactor: 1.3 }] },
);
export type KFactorDay = Static<typeof KFactorDay>;

export const KFactorPage = AdminPage(KFactorDay);

export const RetentionCohort = Type.Object(
  {
    /** The campaign-local day of the cohort's first action. */
    day: Day,
    users: Type.Integer({ minimum: 0 }),
    /** Users of the cohort active again exactly 1, 7 and 30 days later (null: that day has not come yet). */
    day1: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    day7: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    day30: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    day1Rate: Rate,
    day7Rate: Rate,
    day30Rate: Rate,
  },
  { examples: [{ day: '2026-11-10', users: 100, day1: 40, day7: 12, day30: 3, day1Rate: 0.4, day7Rate: 0.12, day30Rate: 0.03 }] },
);
export type RetentionCohort = Static<typeof RetentionCohort>;

export const RetentionPage = AdminPage(RetentionCohort, {
  description:
    'An action is a like given or received, a card made, a team joined (or founded) or an order placed, on the campaign-local day it happened; days after the campaign ended count too.',
});

export const HourlyQuery = Type.Object({
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
  ...AdminPageQuery.properties,
});
export type HourlyQuery = Static<typeof HourlyQuery>;

export const HourlyActivity = Type.Object(
  {
    hour: Timestamp,
    likes: Type.Integer({ minimum: 0 }),
    newParticipants: Type.Integer({ minimum: 0 }),
    shares: Type.Integer({ minimum: 0 }),
    opens: Type.Integer({ minimum: 0 }),
    /** Of `opens`, those through a poster's code and through Moments (the rest came by card). */
    posterOpens: Type.Integer({ minimum: 0 }),
    momentsOpens: Type.Integer({ minimum: 0 }),
  },
  { examples: [{ hour: '2026-11-11T03:00:00.000Z', likes: 420, newParticipants: 35, shares: 20, opens: 610, posterOpens: 90, momentsOpens: 40 }] },
);
export type HourlyActivity = Static<typeof HourlyActivity>;

export const HourlyPage = AdminPage(HourlyActivity);

export const CampaignIdQuery = Type.Object({ campaignId: Id });

