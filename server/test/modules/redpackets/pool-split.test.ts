import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { largestRemainder, splitPool, type TeamContributions } from '../../../src/modules/redpackets/pool-split.js';

const amounts = (xs: { id: string; amount: number }[]) => Object.fromEntries(xs.map((x) => [x.id, x.amount]));
const sum = (xs: { amount: number }[]) => xs.reduce((s, x) => s + x.amount, 0);

/** |share − amount·w/W| < 1, checked exactly as |share·W − amount·w| < W. */
function withinOneFen(share: number, amount: number, weight: number, total: number): boolean {
  const diff = BigInt(share) * BigInt(total) - BigInt(amount) * BigInt(weight);
  return (diff < 0n ? -diff : diff) < BigInt(total);
}

describe('largest remainder, by hand', () => {
  it('gives the one fen left over from 100 among three equals to the smallest id', () => {
    expect(amounts(largestRemainder(100, [{ id: 'c', weight: 1 }, { id: 'a', weight: 1 }, { id: 'b', weight: 1 }]))).toEqual({
      a: 34,
      b: 33,
      c: 33,
    });
  });

  it('gives leftover fen to the largest remainders: 7 fen at 2:1 is 5 and 2 (quotas 4.67 and 2.33)', () => {
    expect(amounts(largestRemainder(7, [{ id: 'x', weight: 2 }, { id: 'y', weight: 1 }]))).toEqual({ x: 5, y: 2 });
  });

  it('breaks a tie of remainders toward the larger weight: 2 fen at 1:3 is 0 and 2 (quotas 0.5 and 1.5)', () => {
    expect(amounts(largestRemainder(2, [{ id: 'a', weight: 1 }, { id: 'b', weight: 3 }]))).toEqual({ a: 0, b: 2 });
  });

  it('pays exact quotas exactly and gives nothing to a weight of zero', () => {
    expect(amounts(largestRemainder(10, [{ id: 'a', weight: 5 }, { id: 'b', weight: 3 }, { id: 'c', weight: 2 }, { id: 'z', weight: 0 }]))).toEqual({
      a: 5,
      b: 3,
      c: 2,
      z: 0,
    });
  });

  it('splits nothing when every weight is zero, and refuses fractions, negatives and repeated ids', () => {
    expect(sum(largestRemainder(50, [{ id: 'a', weight: 0 }]))).toBe(0);
    expect(largestRemainder(50, [])).toEqual([]);
    expect(() => largestRemainder(1.5, [{ id: 'a', weight: 1 }])).toThrow(RangeError);
    expect(() => largestRemainder(10, [{ id: 'a', weight: -1 }])).toThrow(RangeError);
    expect(() => largestRemainder(10, [{ id: 'a', weight: 1 }, { id: 'a', weight: 2 }])).toThrow(/twice/);
  });
});

describe('the prize pool split, by hand', () => {
  const teams: TeamContributions[] = [
    { teamId: 'A', members: [{ userId: 'a1', energy: 60 }, { userId: 'a2', energy: 40 }] },
    { teamId: 'B', members: [{ userId: 'b1', energy: 300 }] },
    { teamId: 'C', members: [{ userId: 'c1', energy: 5 }] },
  ];

  it('splits 10 元 among teams of 100 and 300 energy as 2.50 and 7.50 元, then 60:40 inside the first', () => {
    const split = splitPool(1000, teams, 10);
    expect(split.teams).toEqual([
      { teamId: 'A', energy: 100, amount: 250 },
      { teamId: 'B', energy: 300, amount: 750 },
    ]);
    expect(split.shares).toEqual([
      { teamId: 'A', userId: 'a1', energy: 60, amount: 150 },
      { teamId: 'A', userId: 'a2', energy: 40, amount: 100 },
      { teamId: 'B', userId: 'b1', energy: 300, amount: 750 },
    ]);
    expect(split.paid).toBe(1000);
  });

  it('lets a team below the minimum share nothing, and counts it once the minimum is lowered', () => {
    expect(splitPool(1000, teams, 10).shares.map((s) => s.userId)).not.toContain('c1');
    const all = splitPool(1000, teams, 0);
    // 1000 × 5/405 = 12.3 → 12; A 246.9 → 247; B 740.7 → 741 (largest remainders .9 and .7 win).
    expect(all.teams.map((t) => t.amount)).toEqual([247, 741, 12]);
    expect(all.paid).toBe(1000);
  });

  it('carries leftover fen down both levels: 1 元 among three equal teams, then three equal members', () => {
    const split = splitPool(
      100,
      [
        { teamId: 't1', members: [{ userId: 'm1', energy: 7 }, { userId: 'm2', energy: 7 }, { userId: 'm3', energy: 7 }] },
        { teamId: 't2', members: [{ userId: 'n1', energy: 21 }] },
        { teamId: 't3', members: [{ userId: 'o1', energy: 21 }] },
      ],
      0,
    );
    expect(split.teams.map((t) => t.amount)).toEqual([34, 33, 33]);
    expect(split.shares.filter((s) => s.teamId === 't1').map((s) => s.amount)).toEqual([12, 11, 11]);
    expect(split.paid).toBe(100);
  });

  it('pays nothing with no pool, no teams, or only teams without energy', () => {
    expect(splitPool(0, teams, 0)).toMatchObject({ paid: 0, shares: [] });
    expect(splitPool(1000, [], 0)).toEqual({ teams: [], shares: [], paid: 0 });
    expect(splitPool(1000, [{ teamId: 'z', members: [{ userId: 'u', energy: 0 }] }], 0)).toEqual({ teams: [], shares: [], paid: 0 });
    expect(splitPool(1000, teams, 1_000_000).paid).toBe(0);
  });

  it('gives one team the whole pool, and a member who brought nothing (or less than nothing) no red packet', () => {
    const split = splitPool(
      999,
      [{ teamId: 'solo', members: [{ userId: 'u1', energy: 10 }, { userId: 'u2', energy: 0 }, { userId: 'u3', energy: -5 }] }],
      0,
    );
    expect(split.shares).toEqual([{ teamId: 'solo', userId: 'u1', energy: 10, amount: 999 }]);
  });

  it('refuses a user who appears in two teams', () => {
    expect(() =>
      splitPool(10, [
        { teamId: 'a', members: [{ userId: 'u', energy: 1 }] },
        { teamId: 'b', members: [{ userId: 'u', energy: 1 }] },
      ], 0),
    ).toThrow(/two teams/);
  });
});

/** Teams with members and unique random ids, of any shape the ledger could produce. */
const teamsArb = fc
  .array(fc.array(fc.nat({ max: 1_000_000_000 }), { minLength: 1, maxLength: 6 }), { maxLength: 8 })
  .chain((shape) => {
    const needed = shape.length + shape.reduce((n, t) => n + t.length, 0);
    return fc.uniqueArray(fc.uuid(), { minLength: needed, maxLength: needed }).map((ids) => {
      let next = 0;
      return shape.map((energies) => ({
        teamId: ids[next++]!,
        members: energies.map((energy) => ({ userId: ids[next++]!, energy })),
      }));
    });
  });
const poolArb = fc.oneof(fc.nat({ max: 1000 }), fc.nat({ max: 1_000_000_000_000 }));

function shuffled<T>(xs: readonly T[], keys: readonly number[]): T[] {
  return xs.map((x, i) => ({ x, k: keys[i % Math.max(1, keys.length)] ?? 0, i })).sort((a, b) => a.k - b.k || b.i - a.i).map((e) => e.x);
}

describe('the prize pool split, for any teams', () => {
  it('pays exactly the pool to the fen (or nothing when no team qualifies), never a negative share', () => {
    fc.assert(
      fc.property(poolArb, teamsArb, fc.nat({ max: 2_000_000_000 }), (pool, teams, min) => {
        const split = splitPool(pool, teams, min);
        const qualifies = teams.some((t) => {
          const e = t.members.reduce((s, m) => s + m.energy, 0);
          return e > 0 && e >= min;
        });
        expect(split.paid).toBe(qualifies ? pool : 0);
        expect(sum(split.shares)).toBe(split.paid);
        expect(sum(split.teams)).toBe(split.paid);
        for (const s of split.shares) expect(Number.isSafeInteger(s.amount) && s.amount > 0).toBe(true);
        for (const t of split.teams) expect(t.amount).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('keeps every team within 1 fen of its exact part of the pool, and every member within 1 fen of theirs of the team', () => {
    fc.assert(
      fc.property(poolArb, teamsArb, (pool, teams) => {
        const split = splitPool(pool, teams, 0);
        const total = split.teams.reduce((s, t) => s + t.energy, 0);
        for (const t of split.teams) {
          expect(withinOneFen(t.amount, pool, t.energy, total)).toBe(true);
          const members = teams.find((x) => x.teamId === t.teamId)!.members;
          for (const m of members) {
            const share = split.shares.find((s) => s.userId === m.userId)?.amount ?? 0;
            expect(withinOneFen(share, t.amount, m.energy, t.energy)).toBe(true);
          }
        }
      }),
    );
  });

  it('gives the same split whatever order the teams and members arrive in', () => {
    fc.assert(
      fc.property(poolArb, teamsArb, fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 20 }), (pool, teams, keys) => {
        const reordered = shuffled(teams, keys).map((t) => ({ ...t, members: shuffled(t.members, [...keys].reverse()) }));
        expect(splitPool(pool, reordered, 0)).toEqual(splitPool(pool, teams, 0));
      }),
    );
  });
});

describe('largest remainder, for any weights', () => {
  it('sums to the amount exactly, each share within 1 fen of its quota, whatever the order', () => {
    const partiesArb = fc.uniqueArray(fc.record({ id: fc.uuid(), weight: fc.nat({ max: 1_000_000_000 }) }), {
      selector: (p) => p.id,
      minLength: 1,
      maxLength: 30,
    });
    fc.assert(
      fc.property(poolArb, partiesArb, (amount, parties) => {
        const out = largestRemainder(amount, parties);
        const total = parties.reduce((s, p) => s + p.weight, 0);
        expect(sum(out)).toBe(total === 0 ? 0 : amount);
        for (const o of out) {
          expect(o.amount).toBeGreaterThanOrEqual(0);
          if (total > 0) expect(withinOneFen(o.amount, amount, o.weight, total)).toBe(true);
        }
        expect(largestRemainder(amount, [...parties].reverse())).toEqual(out);
      }),
    );
  });
});
