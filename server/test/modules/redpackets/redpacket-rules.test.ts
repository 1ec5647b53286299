import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCampaignRules } from '../../../src/modules/campaigns/campaign-rules.js';
import {
  claimBlockedBy,
  claimDeadline,
  claimOpen,
  deliveryOf, reviewReason,
  failedAttemptStatus,
  ladderProblem,
  nextTier,
  tierAt,
  tierStates,
  type ClaimFacts,
} from '../../../src/modules/redpackets/redpacket-rules.js';

const ladder = [
  { energy: 100, amount: 188 },
  { energy: 500, amount: 588 },
  { energy: 2000, amount: 1888 },
];

describe('the red-packet ladder', () => {
  it('shows the next tier and the energy missing to it: at 20 energy, 80 more reach 1.88 元', () => {
    expect(nextTier(ladder, 20)).toEqual({ tier: 1, energy: 100, amount: 188, energyMissing: 80 });
    expect(nextTier(ladder, 100)).toEqual({ tier: 2, energy: 500, amount: 588, energyMissing: 400 });
    expect(nextTier(ladder, 1999)).toMatchObject({ tier: 3, energyMissing: 1 });
    expect(nextTier(ladder, 2000)).toBeNull();
    expect(nextTier([], 0)).toBeNull();
  });

  it('names tiers from 1, and nothing outside the ladder', () => {
    expect(tierAt(ladder, 1)).toEqual(ladder[0]);
    expect(tierAt(ladder, 3)).toEqual(ladder[2]);
    for (const t of [0, 4, -1, 1.5]) expect(tierAt(ladder, t), String(t)).toBeUndefined();
  });

  it('marks each rung reached, claimed and claimable as the home page draws them', () => {
    const states = tierStates(ladder, { energy: 600, claimedTiers: new Set([1]), claimOpen: true, budgetLeft: 10_000 });
    expect(states).toEqual([
      { tier: 1, energy: 100, amount: 188, reached: true, claimed: true, claimable: false },
      { tier: 2, energy: 500, amount: 588, reached: true, claimed: false, claimable: true },
      { tier: 3, energy: 2000, amount: 1888, reached: false, claimed: false, claimable: false },
    ]);
    // Reached but unaffordable, or with claims closed: visible, not claimable.
    expect(tierStates(ladder, { energy: 600, claimedTiers: new Set(), claimOpen: true, budgetLeft: 500 }).map((t) => t.claimable)).toEqual([
      true,
      false,
      false,
    ]);
    expect(tierStates(ladder, { energy: 600, claimedTiers: new Set(), claimOpen: false, budgetLeft: 10_000 }).some((t) => t.claimable)).toBe(false);
  });

  it('agrees with itself for any ladder: rungs below the next tier are reached, the rest are not', () => {
    const ladderArb = fc
      .uniqueArray(fc.integer({ min: 1, max: 1_000_000 }), { maxLength: 20 })
      .map((es) => [...es].sort((a, b) => a - b).map((energy) => ({ energy, amount: 1 })));
    fc.assert(
      fc.property(ladderArb, fc.nat({ max: 2_000_000 }), (tiers, energy) => {
        expect(ladderProblem(tiers)).toBeNull();
        const next = nextTier(tiers, energy);
        const reached = tierStates(tiers, { energy, claimedTiers: new Set(), claimOpen: true, budgetLeft: 0 }).filter((t) => t.reached);
        expect(reached.length).toBe(next ? next.tier - 1 : tiers.length);
        if (next) expect(next.energyMissing).toBe(tiers[next.tier - 1]!.energy - energy);
      }),
    );
  });

  it('refuses a ladder whose energy does not strictly rise', () => {
    expect(ladderProblem(ladder)).toBeNull();
    expect(ladderProblem([{ energy: 100, amount: 1 }, { energy: 100, amount: 2 }])).toMatch(/tier 2 needs more energy than tier 1/);
    expect(ladderProblem([{ energy: 500, amount: 1 }, { energy: 100, amount: 2 }])).not.toBeNull();
  });
});

describe('claiming a tier', () => {
  const ok: ClaimFacts = { claimOpen: true, tier: ladder[0], energy: 100, claimed: false, budgetLeft: 188 };

  it('pays a reached, unclaimed tier the budget still covers', () => {
    expect(claimBlockedBy(ok)).toBeNull();
  });

  it('refuses in the order the claim checks: window, tier, energy, once per tier, budget', () => {
    expect(claimBlockedBy({ ...ok, claimOpen: false, tier: undefined, energy: 0, claimed: true, budgetLeft: 0 })).toBe('CAMPAIGN_NOT_ACTIVE');
    expect(claimBlockedBy({ ...ok, tier: undefined, energy: 0 })).toBe('TIER_NOT_FOUND');
    expect(claimBlockedBy({ ...ok, energy: 99, claimed: true, budgetLeft: 0 })).toBe('TIER_NOT_REACHED');
    expect(claimBlockedBy({ ...ok, claimed: true, budgetLeft: 0 })).toBe('ALREADY_CLAIMED');
    expect(claimBlockedBy({ ...ok, budgetLeft: 187 })).toBe('BUDGET_EXHAUSTED');
  });

  const window = { startsAt: new Date('2026-11-01T00:00:00Z'), endsAt: new Date('2026-11-12T00:00:00Z') };

  it('is open from the start until the campaign ends when the rules name no deadline', () => {
    const c = { ...window, rules: { redPacketClaimDeadline: null } };
    expect(claimDeadline(c)).toEqual(window.endsAt);
    expect(claimOpen(c, new Date('2026-10-31T23:59:59Z'))).toBe(false);
    expect(claimOpen(c, window.startsAt)).toBe(true);
    expect(claimOpen(c, new Date('2026-11-11T23:59:59Z'))).toBe(true);
    expect(claimOpen(c, window.endsAt)).toBe(false);
  });

  it('stays open after the end until a later claim deadline', () => {
    const c = { ...window, rules: { redPacketClaimDeadline: '2026-11-13T00:00:00Z' } };
    expect(claimOpen(c, new Date('2026-11-12T12:00:00Z'))).toBe(true);
    expect(claimOpen(c, new Date('2026-11-13T00:00:00Z'))).toBe(false);
  });
});

describe('campaign rules for red packets', () => {
  it('pay nothing unless the operator states tiers and a budget', () => {
    expect(parseCampaignRules({})).toMatchObject({
      redPacketTiers: [],
      redPacketBudget: 0,
      prizePool: 0,
      prizePoolMinTeamEnergy: 0,
      redPacketClaimDeadline: null,
    });
  });

  it('accept a ladder, a deadline, a budget and a pool', () => {
    const rules = parseCampaignRules({
      redPacketTiers: ladder,
      redPacketClaimDeadline: '2026-11-13T00:00:00Z',
      redPacketBudget: 100_000,
      prizePool: 50_000,
      prizePoolMinTeamEnergy: 1000,
    });
    expect(rules.redPacketTiers).toEqual(ladder);
    expect(rules.prizePool).toBe(50_000);
  });

  it('refuse fractional or empty red packets, unknown switches and a deadline that is not an instant', () => {
    for (const bad of [
      { redPacketTiers: [{ energy: 100, amount: 1.88 }] },
      { redPacketTiers: [{ energy: 100, amount: 0 }] },
      { redPacketTiers: [{ energy: 0, amount: 100 }] },
      { redPacketBudget: -1 },
      { prizePool: 10.5 },
      { teammateLikes: 'sometimes' },
      { redPacketClaimDeadline: 'next tuesday' },
    ]) {
      expect(() => parseCampaignRules(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    }
  });
});

describe('payout attempts', () => {
  it('retry a retryable failure until the last attempt, then leave it stuck', () => {
    expect(failedAttemptStatus({ retryable: true, failuresBefore: 0, maxAttempts: 3 })).toBe('failed');
    expect(failedAttemptStatus({ retryable: true, failuresBefore: 1, maxAttempts: 3 })).toBe('failed');
    expect(failedAttemptStatus({ retryable: true, failuresBefore: 2, maxAttempts: 3 })).toBe('stuck');
    expect(failedAttemptStatus({ retryable: false, failuresBefore: 0, maxAttempts: 3 })).toBe('stuck');
    expect(failedAttemptStatus({ retryable: true, failuresBefore: 0, maxAttempts: 1 })).toBe('stuck');
  });

  it('read a red packet held until reviewed, in review once flagged, transferring once cleared or released, then as its transfer says, voided above all', () => {
    const f = (decisions: string[], transferState: string | null = null, legacy = { succeeded: false, stuck: false }) => deliveryOf({ ...legacy, decisions, transferState });
    expect(f([])).toBe('held');
    expect(f(['flagged'])).toBe('review');
    expect(f(['flagged', 'released'])).toBe('transferring');
    expect(f(['cleared'])).toBe('transferring');
    expect(f(['cleared'], 'wait_user_confirm')).toBe('wait_user_confirm');
    expect(f(['cleared'], 'cancelled')).toBe('transferring');
    expect(f(['cleared'], 'success')).toBe('success');
    expect(f(['cleared'], 'fail')).toBe('fail');
    expect(f(['flagged', 'voided'])).toBe('voided');
    expect(f([], null, { succeeded: true, stuck: false })).toBe('success');
    expect(f([], null, { succeeded: false, stuck: true })).toBe('fail');
  });

  it('send a reward to review for open flags, a fifth of its likes from flagged accounts, a unionid twin or a high risk rank', () => {
    const clean = { flags: [], likes: 10, flaggedLikes: 2, unionTwins: 0 };
    expect(reviewReason(clean)).toBeNull();
    expect(reviewReason({ ...clean, flaggedLikes: 3 })).toContain('3 of 10 likes');
    expect(reviewReason({ ...clean, flags: ['burst'] })).toContain('burst');
    expect(reviewReason({ ...clean, unionTwins: 1 })).toContain('unionid');
    expect(reviewReason({ ...clean, riskRank: 3 })).toContain('risk rank 3');
    expect(reviewReason({ ...clean, riskRank: 2 })).toBeNull();
  });
});
