import type { CampaignRules, NextRedPacketTier, RedPacketDelivery, RedPacketTierRule, RedPacketTierState } from '@jizan/shared';
import type { ErrorCode } from '@jizan/shared/errors';

type Ladder = readonly RedPacketTierRule[];

// The ladder's soundness is a campaign-rules check (the rule parser refuses a bad ladder on write and read).
export { ladderProblem } from '../campaigns/campaign-rules.js';

/** A rung that pays a coupon (its terms are checked with the ladder) rather than cash. */
export function isCouponTier(t: RedPacketTierRule): t is RedPacketTierRule & { reward: 'coupon'; coupon: NonNullable<RedPacketTierRule['coupon']> } {
  return t.reward === 'coupon' && t.coupon !== undefined;
}

/** Tiers are named by their 1-based place on the ladder. */
export function tierAt(tiers: Ladder, tier: number): RedPacketTierRule | undefined {
  return Number.isInteger(tier) && tier >= 1 ? tiers[tier - 1] : undefined;
}

/** The first rung above `energy` and what is missing to reach it; null once the top is reached. */
export function nextTier(tiers: Ladder, energy: number): NextRedPacketTier | null {
  const index = tiers.findIndex((t) => t.energy > energy);
  if (index < 0) return null;
  const t = tiers[index]!;
  return { tier: index + 1, energy: t.energy, amount: t.amount, energyMissing: t.energy - energy };
}

export interface ClaimWindow {
  startsAt: Date;
  endsAt: Date;
  rules: Pick<CampaignRules, 'redPacketClaimDeadline'>;
}

/** Claims close at the rules' deadline, or with the campaign when the rules name none. */
export function claimDeadline(c: ClaimWindow): Date {
  return c.rules.redPacketClaimDeadline ? new Date(c.rules.redPacketClaimDeadline) : c.endsAt;
}

/** Open from the campaign's start (inclusive) until the claim deadline (exclusive). */
export function claimOpen(c: ClaimWindow, now: Date): boolean {
  return now >= c.startsAt && now < claimDeadline(c);
}

export interface ClaimFacts {
  claimOpen: boolean;
  tier: RedPacketTierRule | undefined;
  energy: number;
  claimed: boolean;
  budgetLeft: number;
}

/**
 * Why a claim would be refused now, in the order the claim checks; null when it would pay.
 * The claim itself re-checks the last two against the database (unique claim, guarded budget).
 */
export function claimBlockedBy(f: ClaimFacts): ErrorCode | null {
  if (!f.claimOpen) return 'CAMPAIGN_NOT_ACTIVE';
  if (!f.tier) return 'TIER_NOT_FOUND';
  if (f.energy < f.tier.energy) return 'TIER_NOT_REACHED';
  if (f.claimed) return 'ALREADY_CLAIMED';
  // A coupon costs the budget nothing until it is redeemed (the redemption checks the budget then).
  if (!isCouponTier(f.tier) && f.budgetLeft < f.tier.amount) return 'BUDGET_EXHAUSTED';
  return null;
}

/** The ladder as a user sees it: which rungs are reached, claimed, and claimable right now. */
export function tierStates(
  tiers: Ladder,
  f: { energy: number; claimedTiers: ReadonlySet<number>; claimOpen: boolean; budgetLeft: number },
): RedPacketTierState[] {
  return tiers.map((t, i) => {
    const tier = i + 1;
    const claimed = f.claimedTiers.has(tier);
    return {
      tier,
      energy: t.energy,
      amount: t.amount,
      reached: f.energy >= t.energy,
      claimed,
      claimable: claimBlockedBy({ claimOpen: f.claimOpen, tier: t, energy: f.energy, claimed, budgetLeft: f.budgetLeft }) === null,
      ...(isCouponTier(t) ? { reward: 'coupon' as const, coupon: t.coupon } : {}),
    };
  });
}

/** What the payout provider answered for one attempt to pay a red packet. */
export type AttemptStatus = 'succeeded' | 'failed' | 'stuck';

/**
 * How an attempt that did not succeed is recorded: `stuck` (no more automatic retries; operators
 * see it) when the provider says retrying cannot help or this was the last attempt allowed.
 */
export function failedAttemptStatus(f: { retryable: boolean; failuresBefore: number; maxAttempts: number }): 'failed' | 'stuck' {
  return !f.retryable || f.failuresBefore + 1 >= f.maxAttempts ? 'stuck' : 'failed';
}

/** The facts a red packet's delivery is read from: legacy payout attempts, review decisions, its latest transfer. */
export interface DeliveryFacts {
  succeeded: boolean;
  stuck: boolean;
  decisions: readonly string[];
  transferState: string | null;
}

/**
 * A red packet's delivery as the user and operators see it. A void ends it; a transfer's state
 * wins over the review once one exists; a cancelled (unconfirmed) transfer is being offered again.
 */
export function deliveryOf(f: DeliveryFacts): RedPacketDelivery {
  const has = (d: string) => f.decisions.includes(d);
  if (has('voided')) return 'voided';
  if (f.succeeded || f.transferState === 'success') return 'success';
  if (f.stuck || f.transferState === 'fail') return 'fail';
  if (f.transferState === 'wait_user_confirm') return 'wait_user_confirm';
  if (f.transferState !== null) return 'transferring';
  if (has('flagged') && !has('released')) return 'review';
  if (has('cleared') || has('released')) return 'transferring';
  return 'held';
}

export interface ReviewFacts {
  /** Open fraud flags on the holder (rings, bursts, shared devices or IPs, team rings). */
  flags: readonly string[];
  /** Likes the holder received in the campaign, and how many came from flagged accounts. */
  likes: number;
  flaggedLikes: number;
  /** Other accounts of the same person (one unionid) holding a red packet of the campaign. */
  unionTwins: number;
  /** The platform's risk rank (getUserRiskRank), where configured: 0 normal … 4 highest. */
  riskRank?: number | null;
}

/** Likes from flagged accounts above this share of what earned a reward send it to review. */
export const FLAGGED_LIKE_SHARE = 0.2;

/** Why a held reward goes to review, or null when cash may go. */
export function reviewReason(f: ReviewFacts): string | null {
  const reasons: string[] = [];
  if (f.flags.length > 0) reasons.push(`open fraud flags: ${[...f.flags].sort().join(', ')}`);
  if (f.likes > 0 && f.flaggedLikes / f.likes > FLAGGED_LIKE_SHARE) reasons.push(`${f.flaggedLikes} of ${f.likes} likes from flagged accounts`);
  if (f.unionTwins > 0) reasons.push(`${f.unionTwins} other account(s) of the same person (unionid) rewarded in this campaign`);
  if (f.riskRank != null && f.riskRank >= 3) reasons.push(`platform risk rank ${f.riskRank}`);
  return reasons.length > 0 ? reasons.join('; ') : null;
}
