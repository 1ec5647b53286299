import type { CampaignRules, NextRedPacketTier, RedPacketDelivery, RedPacketTierRule, RedPacketTierState } from '@jizan/shared';
import type { ErrorCode } from '@jizan/shared/errors';

type Ladder = readonly RedPacketTierRule[];

// The ladder's soundness is a campaign-rules check (the rule parser refuses a bad ladder on write and read).
export { ladderProblem } from '../campaigns/campaign-rules.js';

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
  if (f.budgetLeft < f.tier.amount) return 'BUDGET_EXHAUSTED';
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

/** A red packet's delivery, read from its attempts: any success wins, a stuck one is failed. */
export function deliveryOf(a: { succeeded: boolean; stuck: boolean }): RedPacketDelivery {
  if (a.succeeded) return 'delivered';
  return a.stuck ? 'failed' : 'pending';
}
