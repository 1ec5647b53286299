/**
 * Fraud signals as pure functions of facts a scan gathers with SQL (fraud service). Each returns
 * one suspect per account with the evidence an operator needs to decide; none acts on its own.
 */

export type FraudKind = 'like_ring' | 'team_ring' | 'burst' | 'shared_device' | 'shared_ip';

export interface Suspect {
  kind: FraudKind;
  userId: string;
  evidence: Record<string, unknown>;
}

/** Likes from one liker to one sharer in a campaign (any number of days). */
export interface LikeEdge {
  likerId: string;
  sharerId: string;
  likes: number;
}

export const RING_DEFAULTS = {
  /** Smallest group counted as a ring (a pair liking each other is normal friendship). */
  minMembers: 3,
  /** Share of the members' given likes that stay inside the group. */
  minInsideShare: 0.8,
  /** Likes per ordered pair inside the group, as a multiple of the campaign's average per pair. */
  minRateOverBase: 2,
};

/**
 * Like rings: groups of accounts tied by mutual likes (A liked B and B liked A), where almost all
 * the likes they give stay inside the group and each pair inside trades likes far more often than
 * the campaign's pairs do on average.
 */
export function findLikeRings(edges: readonly LikeEdge[], opts = RING_DEFAULTS): Suspect[] {
  if (edges.length === 0) return [];
  const weight = new Map<string, number>();
  const given = new Map<string, number>();
  for (const e of edges) {
    weight.set(`${e.likerId}>${e.sharerId}`, (weight.get(`${e.likerId}>${e.sharerId}`) ?? 0) + e.likes);
    given.set(e.likerId, (given.get(e.likerId) ?? 0) + e.likes);
  }
  const baseRate = [...weight.values()].reduce((a, b) => a + b, 0) / weight.size;

  // Mutual-like graph, then its connected components (union-find).
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  for (const e of edges) {
    if (!weight.has(`${e.sharerId}>${e.likerId}`)) continue;
    for (const u of [e.likerId, e.sharerId]) if (!parent.has(u)) parent.set(u, u);
    parent.set(find(e.likerId), find(e.sharerId));
  }
  const groups = new Map<string, string[]>();
  for (const u of parent.keys()) groups.set(find(u), [...(groups.get(find(u)) ?? []), u]);

  const out: Suspect[] = [];
  for (const members of groups.values()) {
    if (members.length < opts.minMembers) continue;
    const inGroup = new Set(members);
    let inside = 0;
    let pairs = 0;
    for (const [key, w] of weight) {
      const [a, b] = key.split('>') as [string, string];
      if (inGroup.has(a) && inGroup.has(b)) {
        inside += w;
        pairs += 1;
      }
    }
    const total = members.reduce((sum, u) => sum + (given.get(u) ?? 0), 0);
    const insideShare = total === 0 ? 0 : inside / total;
    const rateOverBase = inside / pairs / baseRate;
    if (insideShare < opts.minInsideShare || rateOverBase < opts.minRateOverBase) continue;
    const sorted = [...members].sort();
    for (const userId of sorted) {
      out.push({ kind: 'like_ring', userId, evidence: { members: sorted, insideLikes: inside, insideShare: round(insideShare), rateOverBase: round(rateOverBase) } });
    }
  }
  return out;
}

/** A team's likes: how many its members gave, and how many of those went to teammates. */
export interface TeamLikes {
  teamId: string;
  memberIds: readonly string[];
  given: number;
  toTeammates: number;
}

export const TEAM_RING_DEFAULTS = { minLikes: 10, minTeammateShare: 0.9, minMembers: 2 };

/** Teams that only like each other: nearly all their members' likes go to teammates. */
export function findTeamRings(teams: readonly TeamLikes[], opts = TEAM_RING_DEFAULTS): Suspect[] {
  return teams
    .filter((t) => t.memberIds.length >= opts.minMembers && t.given >= opts.minLikes && t.toTeammates / t.given >= opts.minTeammateShare)
    .flatMap((t) =>
      [...t.memberIds].sort().map((userId) => ({
        kind: 'team_ring' as const,
        userId,
        evidence: { teamId: t.teamId, given: t.given, toTeammates: t.toTeammates, teammateShare: round(t.toTeammates / t.given) },
      })),
    );
}

export interface ReceivedLike {
  sharerId: string;
  at: Date;
}

export const BURST_DEFAULTS = { windowMs: 10 * 60_000, minLikes: 30 };

/** Bursts: many likes on one sharer within a few minutes (a bought or scripted wave). */
export function findBursts(likes: readonly ReceivedLike[], opts = BURST_DEFAULTS): Suspect[] {
  const bySharer = new Map<string, number[]>();
  for (const l of likes) bySharer.set(l.sharerId, [...(bySharer.get(l.sharerId) ?? []), l.at.getTime()]);
  const out: Suspect[] = [];
  for (const [sharerId, times] of [...bySharer].sort(([a], [b]) => a.localeCompare(b))) {
    times.sort((a, b) => a - b);
    let best = { count: 0, from: 0, to: 0 };
    let start = 0;
    for (let end = 0; end < times.length; end++) {
      while (times[end]! - times[start]! >= opts.windowMs) start++;
      const count = end - start + 1;
      if (count > best.count) best = { count, from: times[start]!, to: times[end]! };
    }
    if (best.count >= opts.minLikes) {
      out.push({
        kind: 'burst',
        userId: sharerId,
        evidence: { likes: best.count, windowMinutes: opts.windowMs / 60_000, from: new Date(best.from).toISOString(), to: new Date(best.to).toISOString() },
      });
    }
  }
  return out;
}

export interface LoginFact {
  userId: string;
  ip: string | null;
  deviceId: string | null;
}

export const SHARED_DEFAULTS = { maxAccountsPerDevice: 3, maxAccountsPerIp: 20 };

/**
 * The loopback address is never a client's: logins from it came through a proxy on the same machine
 * that did not forward the client's address, a local tool, or development, and would all look alike.
 */
export function isLoopback(ip: string): boolean {
  return /^(127\.|::1$|::ffff:127\.)/.test(ip);
}

/** Many accounts behind one device or one address: every account of such a cluster is a suspect. */
export function findSharedIdentities(logins: readonly LoginFact[], opts = SHARED_DEFAULTS): Suspect[] {
  const clusters = (kind: 'shared_device' | 'shared_ip', keyOf: (l: LoginFact) => string | null, max: number): Suspect[] => {
    const accounts = new Map<string, Set<string>>();
    for (const l of logins) {
      const key = keyOf(l);
      if (key) accounts.set(key, (accounts.get(key) ?? new Set()).add(l.userId));
    }
    return [...accounts]
      .filter(([, users]) => users.size > max)
      .sort(([a], [b]) => a.localeCompare(b))
      .flatMap(([key, users]) =>
        [...users].sort().map((userId) => ({ kind, userId, evidence: { [kind === 'shared_device' ? 'deviceId' : 'ip']: key, accounts: users.size } })),
      );
  };
  return [...clusters('shared_device', (l) => l.deviceId, opts.maxAccountsPerDevice), ...clusters('shared_ip', (l) => (l.ip && !isLoopback(l.ip) ? l.ip : null), opts.maxAccountsPerIp)];
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
