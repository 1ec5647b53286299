/** A board's member as a ranking holds it: an id (user or team) and its energy. */
export interface Scored {
  id: string;
  energy: number;
}

/** The listing's order on every board: most energy first, then the id (the PostgreSQL listing's `order by energy desc, id`). */
export function byStanding(a: Scored, b: Scored): number {
  if (a.energy !== b.energy) return b.energy - a.energy;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The top `limit` of a sorted set in the listing's order. A reversed range (`ZRANGE … REV`)
 * orders equal scores by member descending, so where it is cut inside a tie it holds the tie's
 * highest ids; `tiedAtLast` is the tie at its last score in ascending member order (lowercase
 * UUIDs sort as PostgreSQL sorts uuids), from which the lowest ids are taken instead.
 */
export function topOfSortedSet(reversed: readonly Scored[], tiedAtLast: readonly string[], limit: number): Scored[] {
  if (reversed.length < limit) return [...reversed].sort(byStanding);
  const last = reversed[reversed.length - 1]!.energy;
  const above = reversed.filter((e) => e.energy > last).sort(byStanding);
  const tied = tiedAtLast.slice(0, limit - above.length).map((id) => ({ id, energy: last }));
  return [...above, ...tied];
}

/**
 * Ranks for a listing in board order: 1 + how many listed hold strictly more energy, so ties
 * share a rank (1, 2, 2, 4). Everyone ahead of a listed member is listed too, so this is the
 * rank on the whole board.
 */
export function ranked<T extends Scored>(listing: readonly T[]): (T & { rank: number })[] {
  let rank = 1;
  return listing.map((e, i) => {
    if (i > 0 && e.energy < listing[i - 1]!.energy) rank = i + 1;
    return { ...e, rank };
  });
}

/** A rank from how many hold strictly more energy (everyone with none shares the rank after the last holder). */
export function rankFromAbove(holdersAbove: number): number {
  return 1 + holdersAbove;
}

/** Energy still needed to reach the nearest energy above `energy` (and share its rank); null when none is above. */
export function gapTo(nearestAbove: number | null, energy: number): number | null {
  return nearestAbove === null ? null : nearestAbove - energy;
}
