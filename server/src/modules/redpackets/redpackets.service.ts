import type {
  CampaignRedPackets,
  CampaignRules,
  ClaimRedPacketResponse,
  MyRedPacketsQuery,
  MyRedPacketsResponse,
  NextRedPacketTier,
  RedPacket,
} from '@jizan/shared';
import { LIMITS } from '@jizan/shared/constants';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { AppError } from '../../lib/errors.js';
import { iso } from '../../lib/time.js';
import { findCampaignBySlug, participantEnergy, requireCampaign, type Campaign } from '../campaigns/campaigns.service.js';
import { runOnce, type Idempotency, type Outcome } from '../idempotency/idempotency.service.js';
import { claimedCouponTiers, issueCoupon, verifyCoupons } from '../coupons/coupons.service.js';
import { claimBlockedBy, claimDeadline, claimOpen, deliveryOf, isCouponTier, nextTier, tierAt, tierStates, type DeliveryFacts } from './redpacket-rules.js';
import * as repo from './redpackets.repository.js';

export interface RedPacketDeps {
  db: Db;
  clock: Clock;
  /**
   * Whether cash can be paid here and how long it is held first. Absent (tests of the ladder that
   * never pay) means available with no hold; `available: false` refuses every claim with
   * PAYOUT_UNAVAILABLE before anything is debited.
   */
  cash?: { available: boolean; holdMinutes: number };
}

/**
 * The next rung above `energy` (the ladder was checked when the rules were parsed): what the home page's progress and a share landing show ("再集 N
 * 能量领 X 元"), so a friend sees what their like is for.
 */
export function nextRedPacketTier(rules: Pick<CampaignRules, 'redPacketTiers'>, energy: number): NextRedPacketTier | null {
  return nextTier(rules.redPacketTiers, energy);
}

export function presentRedPacket(row: repo.RedPacketRow & DeliveryFacts): RedPacket {
  return {
    id: String(row.id),
    campaignId: row.campaignId,
    kind: row.kind,
    tier: row.tier,
    amount: row.amount,
    delivery: deliveryOf(row),
    holdUntil: row.holdUntil ? iso(row.holdUntil) : null,
    createdAt: iso(row.createdAt),
  };
}

/** The ladder as I stand on it, what the budget has left, and the pool (with my share once settled). */
export async function getCampaignRedPackets(deps: RedPacketDeps, campaignId: string, userId: string): Promise<CampaignRedPackets> {
  const now = deps.clock.now();
  const c = await requireCampaign(deps.db, campaignId);
  const ladder = c.rules.redPacketTiers;
  const [energy, claimed, couponTiers, budget, settlement, mine] = await Promise.all([
    participantEnergy(deps.db, c.id, userId),
    repo.claimedTiers(deps.db, c.id, userId),
    claimedCouponTiers(deps.db, c.id, userId),
    repo.findBudget(deps.db, c.id),
    repo.findSettlement(deps.db, c.id),
    repo.poolRedPacketOf(deps.db, c.id, userId),
  ]);
  const budgetLeft = budget?.remaining ?? c.rules.redPacketBudget;
  const open = claimOpen(c, now);
  return {
    campaignId: c.id,
    energy,
    tiers: tierStates(ladder, { energy, claimedTiers: new Set([...claimed, ...couponTiers]), claimOpen: open, budgetLeft }),
    nextTier: nextTier(ladder, energy),
    budget: budget?.budget ?? c.rules.redPacketBudget,
    budgetLeft,
    claimOpen: open,
    claimDeadline: iso(claimDeadline(c)),
    pool: {
      amount: c.rules.prizePool,
      minTeamEnergy: c.rules.prizePoolMinTeamEnergy,
      settled: settlement !== undefined,
      settledAt: settlement ? iso(settlement.createdAt) : null,
      paid: settlement?.paid ?? 0,
      mine: mine ? presentRedPacket(mine) : null,
    },
  };
}

export interface ClaimRequest {
  userId: string;
  campaignId: string;
  tier: number;
  idempotency: Idempotency;
}

function refusal(code: 'CAMPAIGN_NOT_ACTIVE' | 'TIER_NOT_FOUND' | 'TIER_NOT_REACHED', c: Campaign, req: ClaimRequest, energy: number, now: Date): AppError {
  switch (code) {
    case 'CAMPAIGN_NOT_ACTIVE':
      return new AppError(
        code,
        now < c.startsAt ? 'The campaign has not started yet' : 'Red packets can no longer be claimed: the claim deadline has passed',
        { claimDeadline: iso(claimDeadline(c)) },
      );
    case 'TIER_NOT_FOUND':
      return new AppError(code, `This campaign has no tier ${req.tier}`);
    case 'TIER_NOT_REACHED': {
      const needed = tierAt(c.rules.redPacketTiers, req.tier)!.energy;
      return new AppError(code, `Tier ${req.tier} needs ${needed} energy; you have ${energy}`, { energy, needed });
    }
  }
}

/**
 * Claims one rung's red packet. In one transaction: the rung must be reached, the red packet
 * row is unique per user and tier, and the budget pays it only if it still covers it, so a
 * stampede of claims ends with the budget at or above zero and every red packet paid for.
 * Delivery to the wallet happens afterwards, through the payout provider (see settlement.service).
 * A coupon rung issues its coupon instead (coupons.service), with no payout provider needed.
 */
export function claimRedPacket(deps: RedPacketDeps, req: ClaimRequest): Promise<Outcome<ClaimRedPacketResponse>> {
  return runOnce(deps, { userId: req.userId, ...req.idempotency, statusCode: 201 }, async (tx) => {
    const now = deps.clock.now();
    const c = await requireCampaign(tx, req.campaignId);
    const rule = tierAt(c.rules.redPacketTiers, req.tier);
    const energy = await participantEnergy(tx, c.id, req.userId);
    // "Already claimed" and "budget left" are decided by the unique row and the guarded budget below.
    const blocked = claimBlockedBy({ claimOpen: claimOpen(c, now), tier: rule, energy, claimed: false, budgetLeft: Infinity });
    if (blocked === 'CAMPAIGN_NOT_ACTIVE' || blocked === 'TIER_NOT_FOUND' || blocked === 'TIER_NOT_REACHED') {
      throw refusal(blocked, c, req, energy, now);
    }
    if (rule && isCouponTier(rule)) {
      // A coupon needs no payout provider, and costs the budget nothing until it is redeemed.
      if (await repo.hasVoidedReward(tx, c.id, req.userId)) {
        throw new AppError('REWARD_VOIDED', 'A reward of this account in this campaign was voided after review; it cannot claim more');
      }
      const coupon = await issueCoupon(tx, { campaignId: c.id, userId: req.userId, tier: req.tier, amountOff: rule.amount, terms: rule.coupon, now });
      if (!coupon) throw new AppError('ALREADY_CLAIMED', `You already claimed the tier ${req.tier} coupon`);
      const budget = await repo.findBudget(tx, c.id);
      return { redPacket: null, coupon, budgetLeft: budget?.remaining ?? c.rules.redPacketBudget };
    }
    // Never accept what cannot be paid: refused before any row or debit.
    const cash = deps.cash ?? { available: true, holdMinutes: 0 };
    if (!cash.available) throw new AppError('PAYOUT_UNAVAILABLE', 'No payout provider is configured on this server, so cash rewards cannot be paid; nothing was taken from the budget');
    if (await repo.hasVoidedReward(tx, c.id, req.userId)) {
      throw new AppError('REWARD_VOIDED', 'A reward of this account in this campaign was voided after review; it cannot claim more');
    }
    await repo.ensureBudget(tx, c.id, c.rules.redPacketBudget, now);
    const packet = await repo.insertTierRedPacket(tx, {
      holdUntil: new Date(now.getTime() + cash.holdMinutes * 60_000),
      campaignId: c.id,
      userId: req.userId,
      tier: req.tier,
      energy: rule!.energy,
      amount: rule!.amount,
      at: now,
    });
    if (!packet) throw new AppError('ALREADY_CLAIMED', `You already claimed the tier ${req.tier} red packet`);
    const budgetLeft = await repo.debitBudget(tx, c.id, rule!.amount);
    // Throwing rolls the red packet back with it.
    if (budgetLeft === null) throw new AppError('BUDGET_EXHAUSTED', 'The red packets of this campaign have all been given out');
    return { redPacket: presentRedPacket({ ...packet, succeeded: false, stuck: false, decisions: [], transferState: null }), budgetLeft };
  });
}

/** Newest first; the cursor is the last id seen, so red packets added meanwhile never shift a page. */
export async function myRedPackets(deps: { db: Executor }, userId: string, q: MyRedPacketsQuery): Promise<MyRedPacketsResponse> {
  const campaignId = q.campaignId ?? null;
  if (campaignId) await requireCampaign(deps.db, campaignId);
  const limit = q.limit ?? LIMITS.pageSizeDefault;
  const beforeId = q.cursor ? decodeCursor(q.cursor) : null;
  const [page, total] = await Promise.all([
    repo.pageForUser(deps.db, { userId, campaignId, beforeId, limit: limit + 1 }),
    repo.totalForUser(deps.db, { userId, campaignId }),
  ]);
  const shown = page.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    total,
    redPackets: shown.map(presentRedPacket),
    nextCursor: page.length > limit && last ? encodeCursor(last.id) : null,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A campaign named by id or by slug, as an operator types it on the command line. */
export async function findCampaignId(ex: Executor, ref: string): Promise<string> {
  if (UUID.test(ref)) return (await requireCampaign(ex, ref)).id;
  const id = (await findCampaignBySlug(ex, ref))?.id;
  if (!id) throw new AppError('CAMPAIGN_NOT_FOUND', `No campaign with id or slug "${ref}"`);
  return id;
}

/**
 * The red-packet books, checked: every campaign's paid total (the sum of its red packets) is at
 * most its budget B, its remaining budget is B minus that total, every settlement's red packets
 * add up to what it paid, and no red packet was paid out twice. Empty when all of that holds.
 */
export async function verifyRedPackets(ex: Executor, opts: { campaignId?: string } = {}): Promise<repo.MoneyProblem[]> {
  // Coupons are paid from the same budget, so their books are checked with it.
  const [money, coupons] = await Promise.all([repo.findMoneyProblems(ex, opts), verifyCoupons(ex, opts)]);
  return [...money, ...coupons];
}

export type { MoneyProblem } from './redpackets.repository.js';

// The module's surface for scripts and jobs (settle script, ledger check, the job runner).
export {
  campaignsDueForSettlement,
  settleCampaign,
  type SettleDeps,
  type SettlementReport,
} from './settlement.service.js';
export { type PayoutProvider } from './payout-provider.js';
export { payoutsFor, type Payouts } from './payouts.js';
export { releaseReward, runTransfers, voidReward, type TransferDeps, type TransferRun } from './transfers.service.js';

/** Rewards waiting for an operator (the fraud checks flagged them during the hold), oldest first. */
export async function rewardsInReview(ex: Executor, limit = 100): Promise<(HeldRedPacket & { reason: string; nickname: string })[]> {
  return (await repo.inReview(ex, limit)).map((r) => ({ ...presentHeld(r), reason: r.reason, nickname: r.nickname }));
}

// ---- For the operators' admin API ----

/**
 * The repository's counts (tier claims and pool shares with what they paid, every red packet by
 * delivery state) with the budget B resolved: from the budget row once anything was paid, else the
 * rules, and what is left of it.
 */
export type RedPacketBooks = Omit<repo.CampaignRedPacketCounts, 'budget' | 'remaining' | 'settledAt'> & {
  budget: number;
  budgetLeft: number;
  settledAt: string | null;
};

/** A campaign's red packets as an operator counts them; the campaign's rules give B before anything was paid. */
export async function redPacketBooks(ex: Executor, campaign: Pick<Campaign, 'id' | 'rules'>): Promise<RedPacketBooks> {
  const { budget: stored, remaining, settledAt, ...counts } = await repo.campaignCounts(ex, campaign.id);
  const budget = stored ?? campaign.rules.redPacketBudget;
  return { ...counts, budget, budgetLeft: remaining ?? budget, settledAt: settledAt ? iso(settledAt) : null };
}

export interface HeldRedPacket extends RedPacket {
  userId: string;
  teamId: string | null;
  /** The energy it was paid on: the tier's threshold, or the member's contribution for a pool share. */
  energy: number;
}

function presentHeld(row: repo.RedPacketWithAttempts): HeldRedPacket {
  return { ...presentRedPacket(row), userId: row.userId, teamId: row.teamId, energy: row.energy };
}

/** A user's latest red packets in every campaign, newest first, with their delivery state. */
export async function recentRedPacketsOf(ex: Executor, userId: string, limit: number): Promise<HeldRedPacket[]> {
  return (await repo.pageForUser(ex, { userId, campaignId: null, beforeId: null, limit })).map(presentHeld);
}

/**
 * Red packets paid on energy that has since been taken back (an operator voided the likes behind
 * it): each with the energy it was paid on and what its holder has now. Red packets are money and
 * stay as they are; this is what an operator follows up by hand. `campaignId` and `userIds` narrow
 * the search (null: everywhere, everyone).
 */
export async function unbackedRedPackets(
  ex: Executor,
  q: { campaignId: string | null; userIds: string[] | null },
): Promise<(HeldRedPacket & { energyNow: number })[]> {
  return (await repo.unbacked(ex, q)).map((r) => ({ ...presentHeld(r), energyNow: r.energyNow }));
}
