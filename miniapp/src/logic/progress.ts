import type { NextRedPacketTier } from '@jizan/shared';

/**
 * Placeholder milestones for a bar with no red-packet tier to aim at (a campaign without tiers,
 * a team's energy): they give the bar something to fill toward.
 */
export const DEFAULT_MILESTONES: readonly number[] = [100, 300, 600, 1000, 2000, 5000, 10000];

export interface Progress {
  energy: number;
  /** The milestone before `energy` (0 at the start): the bar's left end. */
  from: number;
  /** The next milestone above `energy`, or null when every milestone is reached. */
  target: number | null;
  /** Energy still needed to reach `target` (0 when there is none). */
  remaining: number;
  /** How full the bar is, 0..1, between `from` and `target`. */
  ratio: number;
}

export function progressToward(energy: number, milestones: readonly number[] = DEFAULT_MILESTONES): Progress {
  const e = Math.max(0, Math.floor(Number.isFinite(energy) ? energy : 0));
  const sorted = [...new Set(milestones.filter((m) => m > 0))].sort((a, b) => a - b);
  const target = sorted.find((m) => m > e) ?? null;
  if (target === null) return { energy: e, from: sorted[sorted.length - 1] ?? 0, target: null, remaining: 0, ratio: 1 };
  const from = [...sorted].reverse().find((m) => m <= e) ?? 0;
  return { energy: e, from, target, remaining: target - e, ratio: (e - from) / (target - from) };
}

/** Progress toward the next reward, and the red packet waiting there (fen; null for a placeholder milestone). */
export interface Reward extends Progress {
  amount: number | null;
}

/**
 * Progress toward the next reward: the one function every energy bar asks. With red-packet tiers
 * the reward is the next tier as the server computed it (`sharerNextTier`); only without one do the
 * placeholder milestones above stand in.
 */
export function nextReward(energy: number, nextTier?: NextRedPacketTier | null): Reward {
  if (!nextTier) return { ...progressToward(energy, DEFAULT_MILESTONES), amount: null };
  const e = Math.max(0, Math.floor(Number.isFinite(energy) ? energy : 0));
  return {
    energy: e,
    from: 0,
    target: nextTier.energy,
    // From the energy shown, not the landing's energyMissing: a like since the landing loaded counts.
    remaining: Math.max(0, nextTier.energy - e),
    ratio: Math.min(1, e / nextTier.energy),
    amount: nextTier.amount,
  };
}
