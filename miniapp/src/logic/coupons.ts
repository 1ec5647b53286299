import type { Coupon, MyCouponsResponse } from '@jizan/shared';

/** A coupon as /v1/me/coupons?productId= answers it: with what it takes off that product's group price. */
export type UsableCoupon = MyCouponsResponse['coupons'][number];

/**
 * The coupon checkout picks for the buyer: the largest discount, and of equal ones the one that
 * runs out first, so the buyer never loses a coupon to expiry by our choice. Null when none applies.
 */
export function bestCoupon<C extends UsableCoupon>(coupons: readonly C[]): C | null {
  let best: C | null = null;
  for (const c of coupons) {
    if (c.status !== 'available' || !c.discount) continue;
    if (!best || c.discount > best.discount! || (c.discount === best.discount && c.expiresAt < best.expiresAt)) best = c;
  }
  return best;
}

/** What the buyer pays with `coupon` on a group price; the server's discount already leaves at least the smallest price an order may carry. */
export function priceWith(groupPrice: number, coupon: UsableCoupon | null): number {
  return groupPrice - (coupon?.discount ?? 0);
}

/** My coupons list order: usable ones first (soonest to run out on top), then used and expired, newest first. */
export function couponsForList<C extends Coupon>(coupons: readonly C[]): C[] {
  const usable = coupons.filter((c) => c.status === 'available').sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
  const rest = coupons.filter((c) => c.status !== 'available').sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return [...usable, ...rest];
}
