/**
 * The team prize pool split (瓜分), exact to the fen.
 *
 * Both levels use the largest-remainder (Hamilton) method: each party first gets the floor of its
 * exact quota `amount × weight / totalWeight`, then the fen left over (fewer than the number of
 * parties) go one each to the largest remainders. So every share is whole, none is negative,
 * the shares add up to the amount exactly, and each share is within 1 fen of its exact quota.
 *
 * Ties for a leftover fen go to the larger weight, then to the smaller id. Ids are random UUIDs,
 * so that last rule favours nobody in particular and cannot be played; and because the order
 * is total, the input order never changes the result. Quotas are computed in BigInt, since
 * pool × energy can pass 2^53.
 */

export interface Weighted {
  id: string;
  weight: number;
}

export interface Allotment {
  id: string;
  weight: number;
  amount: number;
}

function assertWhole(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a whole number ≥ 0, got ${value}`);
}

/**
 * Splits `amount` among `parties` in proportion to their weights. Parties of weight 0 get 0; when
 * every weight is 0 nothing can be split fairly and everyone gets 0 (the caller keeps the amount).
 * The answer lists every party, sorted by id.
 */
export function largestRemainder(amount: number, parties: readonly Weighted[]): Allotment[] {
  assertWhole(amount, 'amount');
  const seen = new Set<string>();
  for (const p of parties) {
    assertWhole(p.weight, `weight of ${p.id}`);
    if (seen.has(p.id)) throw new RangeError(`party ${p.id} appears twice`);
    seen.add(p.id);
  }
  const sorted = [...parties].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const total = sorted.reduce((sum, p) => sum + BigInt(p.weight), 0n);
  if (total === 0n || amount === 0) return sorted.map((p) => ({ id: p.id, weight: p.weight, amount: 0 }));

  const big = BigInt(amount);
  const rows = sorted.map((p) => {
    const product = big * BigInt(p.weight);
    return { id: p.id, weight: p.weight, floor: product / total, remainder: product % total };
  });
  let leftover = big - rows.reduce((sum, r) => sum + r.floor, 0n);
  const byClaim = [...rows].sort(
    (a, b) =>
      (a.remainder === b.remainder ? 0 : a.remainder > b.remainder ? -1 : 1) ||
      b.weight - a.weight ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const bonus = new Set<string>();
  for (const r of byClaim) {
    if (leftover === 0n) break;
    bonus.add(r.id);
    leftover -= 1n;
  }
  return rows.map((r) => ({ id: r.id, weight: r.weight, amount: Number(r.floor) + (bonus.has(r.id) ? 1 : 0) }));
}

export interface TeamContributions {
  teamId: string;
  /** Each member's contribution: the energy they brought to this team. */
  members: readonly { userId: string; energy: number }[];
}

export interface PoolShare {
  teamId: string;
  userId: string;
  /** The member's contribution the share was computed from. */
  energy: number;
  amount: number;
}

export interface PoolSplit {
  /** Qualifying teams with their energy and their part of the pool, sorted by team id. */
  teams: { teamId: string; energy: number; amount: number }[];
  /** One share per member with a positive amount, sorted by team id then user id. */
  shares: PoolShare[];
  /** The sum of the shares: the pool, or 0 when no team qualified. */
  paid: number;
}

/**
 * Splits the pool among teams whose energy is at least `minTeamEnergy` (and above 0), in
 * proportion to team energy, then inside each team in proportion to each member's contribution.
 * A team's energy is the sum of its members' contributions; a negative contribution (a future
 * correction row) counts as none.
 */
export function splitPool(pool: number, teams: readonly TeamContributions[], minTeamEnergy: number): PoolSplit {
  assertWhole(pool, 'pool');
  assertWhole(minTeamEnergy, 'minTeamEnergy');
  const seenUsers = new Set<string>();
  const qualifying = teams
    .map((t) => {
      const members = t.members.map((m) => ({ id: m.userId, weight: Math.max(0, m.energy) }));
      for (const m of members) {
        if (seenUsers.has(m.id)) throw new RangeError(`user ${m.id} is in two teams`);
        seenUsers.add(m.id);
      }
      return { teamId: t.teamId, members, energy: members.reduce((sum, m) => sum + m.weight, 0) };
    })
    .filter((t) => t.energy > 0 && t.energy >= minTeamEnergy);

  const teamParts = largestRemainder(pool, qualifying.map((t) => ({ id: t.teamId, weight: t.energy })));
  const byTeam = new Map(qualifying.map((t) => [t.teamId, t]));
  const shares: PoolShare[] = [];
  for (const part of teamParts) {
    const team = byTeam.get(part.id)!;
    for (const m of largestRemainder(part.amount, team.members)) {
      if (m.amount > 0) shares.push({ teamId: part.id, userId: m.id, energy: m.weight, amount: m.amount });
    }
  }
  return {
    teams: teamParts.map((p) => ({ teamId: p.id, energy: p.weight, amount: p.amount })),
    shares,
    paid: shares.reduce((sum, s) => sum + s.amount, 0),
  };
}
