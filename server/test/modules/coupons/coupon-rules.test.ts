import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { couponExpiry, discountOn, MIN_ORDER_PRICE, redemptionBlockedBy, statusOnReturn } from '../../../src/modules/coupons/coupon-rules.js';

const T = new Date('2026-11-11T04:00:00Z');
const later = (ms: number) => new Date(T.getTime() + ms);
const coupon = (over: Partial<NonNullable<Parameters<typeof redemptionBlockedBy>[0]['coupon']>> = {}) => ({
  campaignId: 'c1',
  status: 'available' as const,
  expiresAt: later(3600_000),
  minSpend: 1000,
  ...over,
});

describe('couponExpiry', () => {
  it('is the rung’s fixed instant, or validDays whole days after the claim', () => {
    expect(couponExpiry({ minSpend: 0, expiresAt: '2026-11-20T00:00:00.000Z' }, T).toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(couponExpiry({ minSpend: 0, validDays: 7 }, T).toISOString()).toBe('2026-11-18T04:00:00.000Z');
  });
});

describe('discountOn', () => {
  it('takes the face value off, but leaves at least 1 fen to pay', () => {
    expect(discountOn(500, 1990)).toBe(500);
    expect(discountOn(1000, 990)).toBe(989);
    expect(discountOn(1000, 1)).toBe(0);
  });

  it('never goes above the face value nor below the minimum price (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_000_000 }), fc.integer({ min: 1, max: 100_000_000 }), (off, price) => {
        const d = discountOn(off, price);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(off);
        expect(price - d).toBeGreaterThanOrEqual(MIN_ORDER_PRICE);
      }),
    );
  });
});

describe('redemptionBlockedBy', () => {
  const facts = (c: ReturnType<typeof coupon> | undefined, over: { campaignId?: string; price?: number; now?: Date } = {}) =>
    redemptionBlockedBy({ coupon: c, campaignId: 'c1', price: 1990, now: T, ...over });

  it('lets an available coupon of the campaign, in time, above the minimum spend, redeem', () => {
    expect(facts(coupon())).toBeNull();
    expect(facts(coupon({ minSpend: 1990 }))).toBeNull();
  });

  it('refuses in order: not mine, already used, expired, not applicable', () => {
    expect(facts(undefined)).toBe('COUPON_NOT_FOUND');
    expect(facts(coupon({ status: 'redeemed', expiresAt: later(-1) }))).toBe('COUPON_ALREADY_USED');
    expect(facts(coupon({ status: 'expired' }))).toBe('COUPON_EXPIRED');
    expect(facts(coupon({ expiresAt: T }))).toBe('COUPON_EXPIRED');
    expect(facts(coupon({ expiresAt: later(-1), campaignId: 'other' }))).toBe('COUPON_EXPIRED');
    expect(facts(coupon({ campaignId: 'other' }))).toBe('COUPON_NOT_APPLICABLE');
    expect(facts(coupon({ minSpend: 1991 }))).toBe('COUPON_NOT_APPLICABLE');
    expect(facts(coupon({ minSpend: 0 }), { price: 1 })).toBe('COUPON_NOT_APPLICABLE');
  });
});

describe('statusOnReturn', () => {
  it('is available while the coupon has time left, expired from its expiry on', () => {
    expect(statusOnReturn(later(1), T)).toBe('available');
    expect(statusOnReturn(T, T)).toBe('expired');
    expect(statusOnReturn(later(-1), T)).toBe('expired');
  });
});
