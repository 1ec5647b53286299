import { Type, type Static } from 'typebox';
import { Cursor, Energy, Fen, Id, Timestamp } from './common.js';
import { LIMITS } from '../constants.js';


/** The most rungs a campaign's ladder may have; the home page shows them all. */
export const RED_PACKET_TIERS_MAX = 20;

/** How a rung pays: `cash` (a red packet to the wallet) or `coupon` (`amount` fen off a group-buy order). */
export const TierReward = Type.Union([Type.Literal('cash'), Type.Literal('coupon')]);
export type TierReward = Static<typeof TierReward>;

/**
 * A coupon rung's terms: usable once on a group-buy order of the campaign's products whose price
 * is at least `minSpend` fen, until `expiresAt` or `validDays` after it was claimed (exactly one).
 */
export const TierCouponRule = Type.Object({
  minSpend: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
  expiresAt: Type.Optional(Timestamp),
  validDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })),
});
export type TierCouponRule = Static<typeof TierCouponRule>;

/** One rung of a campaign's ladder: reaching `energy` lets a user claim `amount` fen, once. */
export const RedPacketTierRule = Type.Object({
  energy: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }),
  /** At most 20,000 元, the largest single transfer the chat platform's wallets accept. For a coupon: the fen off. */
  amount: Type.Integer({ minimum: 1, maximum: 2_000_000 }),
  /** `cash` when absent. */
  reward: Type.Optional(TierReward),
  /** Required when `reward` is `coupon`, refused otherwise. */
  coupon: Type.Optional(TierCouponRule),
});
export type RedPacketTierRule = Static<typeof RedPacketTierRule>;

/** Whether teammates may like each other's cards; `refused` answers such a like with TEAMMATE_LIKE. */
export const TeammateLikes = Type.Union([Type.Literal('refused'), Type.Literal('allowed')]);
export type TeammateLikes = Static<typeof TeammateLikes>;

/** `tier`: claimed on reaching a rung of the ladder; `pool`: a share of the team prize pool at the end. */
export const RedPacketKind = Type.Union([Type.Literal('tier'), Type.Literal('pool')]);
export type RedPacketKind = Static<typeof RedPacketKind>;

/**
 * Where the money is: `held` for the review hold (fraud checks run), `review` when they flagged it
 * (an operator releases or voids it), `transferring` once cleared (the merchant transfer is being
 * made, or offered again after an unconfirmed one was cancelled), `wait_user_confirm` until the user
 * taps 确认收款, then `success` or `fail` (operators settle those by hand); `voided` after review.
 */
export const RedPacketDelivery = Type.Union([
  Type.Literal('held'),
  Type.Literal('review'),
  Type.Literal('transferring'),
  Type.Literal('wait_user_confirm'),
  Type.Literal('success'),
  Type.Literal('fail'),
  Type.Literal('voided'),
]);
export type RedPacketDelivery = Static<typeof RedPacketDelivery>;

export const RedPacket = Type.Object({
  id: Type.String({ description: 'Red packet id' }),
  campaignId: Id,
  kind: RedPacketKind,
  /** The rung a tier red packet was claimed for (1 = the first); null for a pool share. */
  tier: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  amount: Fen,
  delivery: RedPacketDelivery,
  /** When the review hold ends (审核中 until then); null when there was none. */
  holdUntil: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
});

/** What requestMerchantTransfer takes to let the user confirm a transfer (wx: mchId, appId, package). */
export const TransferConfirmation = Type.Object({
  mchId: Type.String(),
  appId: Type.String(),
  package: Type.String(),
  /** True on the simulated platform: the H5 preview confirms through POST /v1/redpackets/simulator/confirm. */
  simulated: Type.Boolean(),
});
export type TransferConfirmation = Static<typeof TransferConfirmation>;

/** Where WeChat Pay posts merchant transfer notifications (MCHTRANSFER.BILL.FINISHED). */
export const TRANSFER_NOTIFY_PATH = '/v1/redpackets/wechatpay/transfer-notify';

export const SimulatedConfirmBody = Type.Object({ mchId: Type.String(), appId: Type.String(), package: Type.String() });
export type SimulatedConfirmBody = Static<typeof SimulatedConfirmBody>;
export type RedPacket = Static<typeof RedPacket>;

export const RedPacketTierState = Type.Object({
  /** 1-based position on the ladder; what a claim names. */
  tier: Type.Integer({ minimum: 1 }),
  energy: Energy,
  amount: Fen,
  reached: Type.Boolean(),
  claimed: Type.Boolean(),
  /** Reached, not claimed, claims open and (for cash) the budget still covers it: the claim button is live. */
  claimable: Type.Boolean(),
  /** Present on a coupon rung: it pays `amount` fen off a group-buy order, with these terms. */
  reward: Type.Optional(TierReward),
  coupon: Type.Optional(TierCouponRule),
});
export type RedPacketTierState = Static<typeof RedPacketTierState>;

/** The next rung above the user's energy, and how much energy is still missing to reach it. */
export const NextRedPacketTier = Type.Object({
  tier: Type.Integer({ minimum: 1 }),
  energy: Energy,
  amount: Fen,
  energyMissing: Type.Integer({ minimum: 1 }),
});
export type NextRedPacketTier = Static<typeof NextRedPacketTier>;

export const RedPacketPool = Type.Object({
  /** P as the campaign states it. */
  amount: Fen,
  /** Teams below this energy do not share the pool. */
  minTeamEnergy: Energy,
  settled: Type.Boolean(),
  settledAt: Type.Union([Timestamp, Type.Null()]),
  /** What was split at settlement: P, or less when the budget had less left; 0 before it. */
  paid: Fen,
  /** My share of the pool after settlement; null before it or when my team did not qualify. */
  mine: Type.Union([RedPacket, Type.Null()]),
});
export type RedPacketPool = Static<typeof RedPacketPool>;

export const CampaignRedPackets = Type.Object({
  campaignId: Id,
  /** My energy in the campaign, which the ladder is measured against. */
  energy: Energy,
  tiers: Type.Array(RedPacketTierState),
  nextTier: Type.Union([NextRedPacketTier, Type.Null()]),
  /** B: what the campaign may pay out in all, tier red packets and the pool together. */
  budget: Fen,
  budgetLeft: Fen,
  claimOpen: Type.Boolean(),
  /** Claims are accepted until this instant (the campaign's end unless the rules say otherwise). */
  claimDeadline: Timestamp,
  pool: RedPacketPool,
});
export type CampaignRedPackets = Static<typeof CampaignRedPackets>;

export const ClaimRedPacketBody = Type.Object({
  campaignId: Id,
  tier: Type.Integer({ minimum: 1, maximum: RED_PACKET_TIERS_MAX }),
});
export type ClaimRedPacketBody = Static<typeof ClaimRedPacketBody>;

/**
 * `available` until `redeemed` on an order or past `expiresAt` (`expired`); a cancelled or refunded
 * order gives it back (`available` again, or `expired` when that is past). The same names as the
 * coupons table and its ledger's events.
 */
export const CouponStatus = Type.Union([Type.Literal('available'), Type.Literal('redeemed'), Type.Literal('expired')]);
export type CouponStatus = Static<typeof CouponStatus>;

export const Coupon = Type.Object({
  id: Id,
  campaignId: Id,
  tier: Type.Integer({ minimum: 1 }),
  amountOff: Fen,
  minSpend: Fen,
  expiresAt: Timestamp,
  status: CouponStatus,
  /** The order it is redeemed on, while `redeemed`. */
  orderId: Type.Union([Id, Type.Null()]),
  createdAt: Timestamp,
});
export type Coupon = Static<typeof Coupon>;

export const MyCouponsQuery = Type.Object({
  campaignId: Type.Optional(Id),
  /** Only coupons usable on this product now, with what each takes off its group price. */
  productId: Type.Optional(Id),
});
export type MyCouponsQuery = Static<typeof MyCouponsQuery>;

export const MyCouponsResponse = Type.Object({
  coupons: Type.Array(
    Type.Intersect([Coupon, Type.Object({ /** Fen off the queried product's group price; null without one or when not usable on it. */ discount: Type.Union([Fen, Type.Null()]) })]),
  ),
});
export type MyCouponsResponse = Static<typeof MyCouponsResponse>;

export const ClaimRedPacketResponse = Type.Object({
  /** Null when the rung pays a coupon. */
  redPacket: Type.Union([RedPacket, Type.Null()]),
  /** The coupon a coupon rung issued. */
  coupon: Type.Optional(Coupon),
  budgetLeft: Fen,
});
export type ClaimRedPacketResponse = Static<typeof ClaimRedPacketResponse>;

export const MyRedPacketsQuery = Type.Object({
  /** Only this campaign's red packets; all of mine when absent. */
  campaignId: Type.Optional(Id),
  cursor: Type.Optional(Cursor),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.pageSizeMax })),
});
export type MyRedPacketsQuery = Static<typeof MyRedPacketsQuery>;

export const MyRedPacketsResponse = Type.Object({
  /** Sum of every red packet the query covers, across all pages. */
  total: Fen,
  redPackets: Type.Array(RedPacket),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type MyRedPacketsResponse = Static<typeof MyRedPacketsResponse>;
