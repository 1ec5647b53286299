/**
 * Progress toward the next energy milestone. Red-packet tiers will supply their own thresholds
 * later; until then these placeholder milestones give the bar something to fill toward.
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

/**
 * Progress toward the user's next reward: the one function the home page and the share landing
 * ask. Until red-packet tiers exist, the milestones above stand in for them; the tier ladder
 * replaces this body and nothing else.
 */
export function nextReward(energy: number): Progress {
  return progressToward(energy, DEFAULT_MILESTONES);
}
