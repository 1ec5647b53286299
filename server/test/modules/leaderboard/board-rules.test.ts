import { describe, expect, it } from 'vitest';
import { byStanding, gapTo, rankFromAbove, ranked, topOfSortedSet, type Scored } from '../../../src/modules/leaderboard/board-rules.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** What `ZRANGE … REV WITHSCORES` answers: score descending, equal scores by member descending. */
function reversedRange(all: Scored[], limit: number): Scored[] {
  return [...all].sort((a, b) => b.energy - a.energy || (a.id < b.id ? 1 : -1)).slice(0, limit);
}
/** What `ZRANGE key s s BYSCORE LIMIT 0 n` answers: members at score s, ascending. */
function tiedAt(all: Scored[], score: number, limit: number): string[] {
  return all.filter((e) => e.energy === score).map((e) => e.id).sort().slice(0, limit);
}

describe('board rules', () => {
  it('lists a board cut inside a tie as PostgreSQL does: energy first, then the lowest ids of the tie', () => {
    const all = [
      { id: id(9), energy: 50 },
      { id: id(1), energy: 30 },
      { id: id(7), energy: 30 },
      { id: id(3), energy: 30 },
      { id: id(5), energy: 30 },
      { id: id(2), energy: 10 },
    ];
    const reversed = reversedRange(all, 3);
    expect(reversed.map((e) => e.id)).toEqual([id(9), id(7), id(5)]); // what Redis hands back
    const top = topOfSortedSet(reversed, tiedAt(all, reversed.at(-1)!.energy, 3), 3);
    expect(top).toEqual([...all].sort(byStanding).slice(0, 3));
    expect(top.map((e) => e.id)).toEqual([id(9), id(1), id(3)]);
  });

  it('matches the PostgreSQL order for every page length over random boards with many ties', () => {
    for (let round = 0; round < 200; round++) {
      const all = Array.from({ length: 1 + (round % 40) }, (_, i) => ({ id: id((i * 7919 + round) % 1000), energy: 1 + ((i * round) % 5) }));
      const unique = [...new Map(all.map((e) => [e.id, e])).values()];
      for (const limit of [1, 2, 5, 17, 100]) {
        const reversed = reversedRange(unique, limit);
        const tied = reversed.length === limit ? tiedAt(unique, reversed.at(-1)!.energy, limit) : [];
        expect(topOfSortedSet(reversed, tied, limit)).toEqual([...unique].sort(byStanding).slice(0, limit));
      }
    }
  });

  it('gives ties one rank and the next one after them (1, 2, 2, 4)', () => {
    const listing = [
      { id: 'a', energy: 90 },
      { id: 'b', energy: 50 },
      { id: 'c', energy: 50 },
      { id: 'd', energy: 10 },
      { id: 'e', energy: 0 },
      { id: 'f', energy: 0 },
    ];
    expect(ranked(listing).map((e) => e.rank)).toEqual([1, 2, 2, 4, 5, 5]);
  });

  it('ranks me after everyone holding more, and tells the gap to the nearest energy above', () => {
    expect(rankFromAbove(0)).toBe(1);
    expect(rankFromAbove(3)).toBe(4);
    expect(gapTo(null, 120)).toBeNull();
    expect(gapTo(150, 120)).toBe(30);
  });
});
