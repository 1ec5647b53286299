import type { RedPacketTierState } from '@jizan/shared';
import { RP } from '../strings';
import { packetYuan, priceYuan } from './money';

/** What a rung of the ladder shows: claimed, claimable now, reached but not payable (closed or budget gone), or still ahead. */
export type RungState = 'claimed' | 'claimable' | 'reached' | 'locked';

export function rungState(t: RedPacketTierState): RungState {
  if (t.claimed) return 'claimed';
  if (t.claimable) return 'claimable';
  return t.reached ? 'reached' : 'locked';
}

/** How far up the ladder the user is, 0..1 over the whole ladder, for the bar behind the rungs. */
export function ladderFill(energy: number, tiers: readonly { energy: number }[]): number {
  const top = tiers[tiers.length - 1]?.energy ?? 0;
  if (top <= 0) return 0;
  return Math.min(1, Math.max(0, energy) / top);
}

/** Whether a rung pays a 拼团券 rather than cash (a rung without `reward` pays cash). */
export function isCouponRung(t: Pick<RedPacketTierState, 'reward'> | undefined): boolean {
  return t?.reward === 'coupon';
}

/** A coupon's minimum spend as the ladder and my coupons print it: none below 1 fen. */
export function couponTerms(minSpend: number): string {
  return RP.coupon.terms(minSpend > 0 ? priceYuan(minSpend) : null);
}

/** A rung's amount as printed: cash the red-packet way (1.88), a coupon the way shops print one off (10). */
export function rewardYuan(amount: number, coupon: boolean): string {
  return coupon ? priceYuan(amount) : packetYuan(amount);
}
