import type { CouponStatus, TierCouponRule } from '@jizan/shared';
import type { ErrorCode } from '@jizan/shared/errors';

// A coupon's life as plain rules: when it ends, what it takes off a price, whether an order may
// redeem it, and what it becomes when its order is given up.

const DAY_MS = 24 * 3600_000;

/** When a coupon claimed at `claimedAt` on a rung with these terms stops being usable (exclusive). */
export function couponExpiry(rule: TierCouponRule, claimedAt: Date): Date {
  if (rule.expiresAt !== undefined) return new Date(rule.expiresAt);
  return new Date(claimedAt.getTime() + rule.validDays! * DAY_MS);
}

/** The smallest price an order may carry: WeChat Pay takes no order below 1 fen, and a free order would need no payment at all. */
export const MIN_ORDER_PRICE = 1;

/**
 * What a coupon takes off a group price: its face value, but never so much that the order would
 * cost less than MIN_ORDER_PRICE (a 10 元 coupon on a 9.90 元 price takes 9.89 元 off). The budget
 * pays exactly this discount, not the face value.
 */
export function discountOn(amountOff: number, price: number): number {
  return Math.max(0, Math.min(amountOff, price - MIN_ORDER_PRICE));
}

export interface RedemptionFacts {
  /** The coupon, when it exists and belongs to the buyer (someone else's is as good as none). */
  coupon: { campaignId: string; status: CouponStatus; expiresAt: Date; minSpend: number } | undefined;
  /** The campaign of the product being bought and its group price. */
  campaignId: string;
  price: number;
  now: Date;
}

/** Whether the coupon has run out at `now` (`expiresAt` itself is already too late). */
export function isPastExpiry(expiresAt: Date, now: Date): boolean {
  return now >= expiresAt;
}

/**
 * Why this order may not redeem the coupon, in the order checked; null when it may. A used coupon
 * says so before its expiry does (that it is gone is the more useful news), and an expired one before
 * whether it would fit. The redemption re-checks `available` in its guarded UPDATE.
 */
export function redemptionBlockedBy(f: RedemptionFacts): ErrorCode | null {
  const c = f.coupon;
  if (!c) return 'COUPON_NOT_FOUND';
  if (c.status === 'redeemed') return 'COUPON_ALREADY_USED';
  if (c.status === 'expired' || isPastExpiry(c.expiresAt, f.now)) return 'COUPON_EXPIRED';
  if (c.campaignId !== f.campaignId || f.price < c.minSpend) return 'COUPON_NOT_APPLICABLE';
  if (discountOn(1, f.price) === 0) return 'COUPON_NOT_APPLICABLE';
  return null;
}

/**
 * What a redeemed coupon becomes when its order is cancelled or refunded: usable again while it
 * has time left, otherwise expired (and then it never comes back).
 */
export function statusOnReturn(expiresAt: Date, now: Date): 'available' | 'expired' {
  return isPastExpiry(expiresAt, now) ? 'expired' : 'available';
}
