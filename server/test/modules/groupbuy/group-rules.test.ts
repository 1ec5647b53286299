import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decideAtExpiry,
  isExpired,
  joinBlockedBy,
  nextRefundAttempt,
  orderAmount,
  productProblems,
  seatsLeft,
  succeedsWith,
  withinPurchaseLimit,
  type JoinFacts,
  type ProductInput,
} from '../../../src/modules/groupbuy/group-rules.js';

const now = new Date('2026-11-11T04:00:00Z');
const later = new Date(now.getTime() + 3600_000);
const earlier = new Date(now.getTime() - 1);

describe('seats and success', () => {
  it('offers the empty seats of an open group within its window, and none otherwise', () => {
    const open = { status: 'open' as const, groupSize: 3, seatsTaken: 1, expiresAt: later };
    expect(seatsLeft(open, now)).toBe(2);
    expect(seatsLeft({ ...open, seatsTaken: 3 }, now)).toBe(0);
    expect(seatsLeft({ ...open, expiresAt: now }, now)).toBe(0);
    for (const status of ['pending', 'succeeded', 'failed'] as const) expect(seatsLeft({ ...open, status }, now)).toBe(0);
  });

  it('treats the expiry instant itself as over', () => {
    expect(isExpired(now, now)).toBe(true);
    expect(isExpired(earlier, now)).toBe(true);
    expect(isExpired(later, now)).toBe(false);
  });

  it('succeeds at the N-th paid seat, not before', () => {
    for (let n = 2; n <= 10; n++) {
      expect(succeedsWith(n - 1, n)).toBe(false);
      expect(succeedsWith(n, n)).toBe(true);
    }
  });
});

describe('virtual fill at expiry', () => {
  const base = { groupSize: 5, realPaid: 3, virtualFill: true, virtualFillMinReal: 3 };

  it('fills the empty seats when switched on and enough real members paid', () => {
    expect(decideAtExpiry(base)).toEqual({ outcome: 'fill', virtualSeats: 2 });
    expect(decideAtExpiry({ ...base, realPaid: 4 })).toEqual({ outcome: 'fill', virtualSeats: 1 });
  });

  it('fails with the switch off, whatever the members', () => {
    expect(decideAtExpiry({ ...base, virtualFill: false })).toEqual({ outcome: 'fail' });
    expect(decideAtExpiry({ ...base, virtualFill: false, realPaid: 4 })).toEqual({ outcome: 'fail' });
  });

  it('fails with fewer real paid members than the minimum', () => {
    expect(decideAtExpiry({ ...base, realPaid: 2 })).toEqual({ outcome: 'fail' });
    expect(decideAtExpiry({ ...base, realPaid: 0, virtualFillMinReal: 1 })).toEqual({ outcome: 'fail' });
  });

  it('never fills a group no real member paid for, and always fills exactly up to N', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 10 }).chain((n) =>
          fc.record({
            groupSize: fc.constant(n),
            realPaid: fc.integer({ min: 0, max: n }),
            virtualFill: fc.boolean(),
            virtualFillMinReal: fc.integer({ min: 0, max: n }),
          }),
        ),
        (f) => {
          const d = decideAtExpiry(f);
          if (d.outcome === 'fail') return true;
          return f.virtualFill && f.realPaid >= 1 && f.realPaid >= f.virtualFillMinReal && d.virtualSeats >= 1 && d.virtualSeats + f.realPaid === f.groupSize;
        },
      ),
    );
  });
});

describe('who may join', () => {
  const facts: JoinFacts = {
    authenticated: true,
    campaignLive: true,
    group: { status: 'open', groupSize: 3, seatsTaken: 1, expiresAt: later },
    alreadyMember: false,
    now,
  };

  it('lets a newcomer into an open group with a seat', () => {
    expect(joinBlockedBy(facts)).toBeNull();
  });

  it('names the first reason in the order the join checks them', () => {
    expect(joinBlockedBy({ ...facts, authenticated: false, campaignLive: false })).toBe('UNAUTHENTICATED');
    expect(joinBlockedBy({ ...facts, campaignLive: false, alreadyMember: true })).toBe('CAMPAIGN_NOT_ACTIVE');
    expect(joinBlockedBy({ ...facts, alreadyMember: true, group: { ...facts.group, seatsTaken: 3 } })).toBe('ALREADY_IN_GROUP');
    expect(joinBlockedBy({ ...facts, group: { ...facts.group, expiresAt: now, seatsTaken: 3 } })).toBe('GROUP_EXPIRED');
    expect(joinBlockedBy({ ...facts, group: { ...facts.group, status: 'failed' } })).toBe('GROUP_EXPIRED');
    expect(joinBlockedBy({ ...facts, group: { ...facts.group, seatsTaken: 3 } })).toBe('GROUP_FULL');
    expect(joinBlockedBy({ ...facts, group: { ...facts.group, status: 'succeeded', seatsTaken: 3 } })).toBe('GROUP_FULL');
    expect(joinBlockedBy({ ...facts, group: { ...facts.group, status: 'pending' } })).toBe('GROUP_NOT_OPEN');
    expect(joinBlockedBy({ ...facts, group: { ...facts.group, status: 'pending', expiresAt: earlier } })).toBe('GROUP_EXPIRED');
  });
});

describe('limits and amounts', () => {
  it('counts the order being placed against the per-user limit', () => {
    expect(withinPurchaseLimit(0, 1)).toBe(true);
    expect(withinPurchaseLimit(1, 1)).toBe(false);
    expect(withinPurchaseLimit(2, 3)).toBe(true);
    expect(withinPurchaseLimit(3, 3)).toBe(false);
  });

  it('charges each member the group price in fen', () => {
    expect(orderAmount({ groupPrice: 1990 })).toBe(1990);
  });

  const good: ProductInput = { title: '拼团好物', price: 2990, groupPrice: 1990, groupSize: 3, stock: 10 };

  it('accepts a well-formed product', () => {
    expect(productProblems(good)).toEqual([]);
    expect(productProblems({ ...good, groupSize: 2, virtualFill: { minRealMembers: 1 }, perUserLimit: 2, groupWindowSeconds: 60 })).toEqual([]);
    expect(productProblems({ ...good, groupPrice: good.price, stock: 0 })).toEqual([]);
  });

  it.each([
    ['a fractional price', { price: 29.9 }, /price/],
    ['a zero group price', { groupPrice: 0 }, /groupPrice/],
    ['a group price above the list price', { groupPrice: 3000 }, /exceed/],
    ['a group of one', { groupSize: 1 }, /groupSize/],
    ['a group of eleven', { groupSize: 11 }, /groupSize/],
    ['negative stock', { stock: -1 }, /stock/],
    ['a zero per-user limit', { perUserLimit: 0 }, /perUserLimit/],
    ['a zero window', { groupWindowSeconds: 0 }, /groupWindowSeconds/],
    ['virtual fill needing the whole group', { virtualFill: { minRealMembers: 3 } }, /minRealMembers/],
    ['virtual fill with no real member', { virtualFill: { minRealMembers: 0 } }, /minRealMembers/],
    ['a blank title', { title: '  ' }, /title/],
  ])('refuses %s', (_name, change, message) => {
    const problems = productProblems({ ...good, ...change });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });
});

describe('refund retries', () => {
  const settings = { baseSeconds: 60, maxAttempts: 4 };

  it('backs off doubling after each failure, then gives up as stuck', () => {
    expect(nextRefundAttempt(1, settings)).toEqual({ stuck: false, delaySeconds: 60 });
    expect(nextRefundAttempt(2, settings)).toEqual({ stuck: false, delaySeconds: 120 });
    expect(nextRefundAttempt(3, settings)).toEqual({ stuck: false, delaySeconds: 240 });
    expect(nextRefundAttempt(4, settings)).toEqual({ stuck: true });
  });

  it('never waits more than an hour between attempts', () => {
    expect(nextRefundAttempt(20, { baseSeconds: 60, maxAttempts: 100 })).toEqual({ stuck: false, delaySeconds: 3600 });
  });
});
