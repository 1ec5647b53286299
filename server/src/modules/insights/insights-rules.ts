import type { ChannelFunnel, FunnelStage, FunnelStageKey, InviteNode, RetentionCohort, ShareChannel } from '@jizan/shared';

/** count / base as a 0..1 share (or more, for opens per card); null when there was nothing to convert. */
export function rate(count: number, base: number): number | null {
  if (base <= 0) return null;
  return Math.round((count / base) * 10_000) / 10_000;
}

const HOUR = 3600_000;

export function floorToHour(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR) * HOUR);
}

export function ceilToHour(at: Date): Date {
  return new Date(Math.ceil(at.getTime() / HOUR) * HOUR);
}

/**
 * The funnel's range: whole hours (the hourly rollup's grain), [from, to), defaulting to the
 * campaign's start and the later of now and its end; an empty or inverted range is refused.
 */
export function funnelRange(q: { from?: string; to?: string }, campaign: { startsAt: Date; endsAt: Date }, now: Date) {
  const from = floorToHour(q.from ? new Date(q.from) : campaign.startsAt);
  const to = ceilToHour(q.to ? new Date(q.to) : new Date(Math.max(now.getTime(), campaign.endsAt.getTime())));
  return { from, to, valid: to.getTime() > from.getTime() };
}

export const FUNNEL_ORDER: readonly FunnelStageKey[] = ['shares', 'opens', 'openers', 'liked', 'joinedTeam', 'groupBuy', 'paid'];
const USER_STAGES = new Set<FunnelStageKey>(['openers', 'liked', 'joinedTeam', 'groupBuy', 'paid']);

/** Each stage with its conversion from the one before and, for user stages, from the unique openers. */
export function funnelStages(counts: Record<FunnelStageKey, number>): FunnelStage[] {
  return FUNNEL_ORDER.map((key, i) => {
    const previous = i === 0 ? null : FUNNEL_ORDER[i - 1]!;
    return {
      key,
      count: counts[key],
      fromPrevious: previous === null ? null : rate(counts[key], counts[previous]),
      fromOpeners: USER_STAGES.has(key) ? rate(counts[key], counts.openers) : null,
    };
  });
}

export const CHANNELS: readonly ShareChannel[] = ['card', 'poster', 'moments'];

export interface ChannelCounts {
  opens: number;
  openers: number;
  liked: number;
  joinedTeam: number;
  groupBuy: number;
  paid: number;
}
const CHANNEL_STAGES = ['openers', 'liked', 'joinedTeam', 'groupBuy', 'paid'] as const satisfies readonly (keyof ChannelCounts & FunnelStageKey)[];

/** A channel's counts before anyone came by it: its opens, and nobody at any stage yet. */
export function noOneYet(opens = 0): ChannelCounts {
  return { opens, openers: 0, liked: 0, joinedTeam: 0, groupBuy: 0, paid: 0 };
}

/**
 * The funnel of each channel, every channel present even when nothing came by it (a dashboard
 * draws three columns whatever the numbers). Cards are not made per channel, so it starts at the
 * openers, converted from the channel's own opens.
 */
export function channelFunnels(counts: Partial<Record<ShareChannel, ChannelCounts>>): ChannelFunnel[] {
  return CHANNELS.map((channel) => {
    const c = counts[channel] ?? noOneYet();
    return {
      channel,
      opens: c.opens,
      stages: CHANNEL_STAGES.map((key, i) => ({
        key,
        count: c[key],
        fromPrevious: rate(c[key], i === 0 ? c.opens : c[CHANNEL_STAGES[i - 1]!]),
        fromOpeners: rate(c[key], c.openers),
      })),
    };
  });
}

/** The viral coefficient of a day's newcomers: how many people each of them went on to bring. */
export function kFactor(invited: number, newParticipants: number): number | null {
  return rate(invited, newParticipants);
}

/** Calendar arithmetic on `YYYY-MM-DD` campaign days (no time zone involved: they are already local). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export const RETENTION_OFFSETS = [1, 7, 30] as const;

export function cohortRow(day: string, users: number, day1: number | null, day7: number | null, day30: number | null): RetentionCohort {
  return {
    day,
    users,
    day1,
    day7,
    day30,
    day1Rate: day1 === null ? null : rate(day1, users),
    day7Rate: day7 === null ? null : rate(day7, users),
    day30Rate: day30 === null ? null : rate(day30, users),
  };
}

/** Whether a retention column's day has come, for a cohort's day. */
export function retentionDue(cohortDay: string, offset: number, today: string): boolean {
  return addDays(cohortDay, offset) <= today;
}

export interface InviteEdge {
  userId: string;
  nickname: string;
  /** Null for the root. */
  inviterId: string | null;
  depth: number;
}

/**
 * Nests the breadth-first rows of the invite query under the root. Rows whose inviter was cut
 * off (beyond the node limit) are dropped, so the tree never shows a child without its parent.
 */
export function nestInvites(rows: readonly InviteEdge[]): { root: InviteNode; depth: number; size: number } | null {
  const rootRow = rows.find((r) => r.inviterId === null);
  if (!rootRow) return null;
  const root: InviteNode = { userId: rootRow.userId, nickname: rootRow.nickname, children: [] };
  const byId = new Map<string, InviteNode>([[root.userId, root]]);
  let depth = 0;
  let size = 0;
  for (const row of [...rows].sort((a, b) => a.depth - b.depth)) {
    if (row.inviterId === null) continue;
    const parent = byId.get(row.inviterId);
    if (!parent || byId.has(row.userId)) continue;
    const node: InviteNode = { userId: row.userId, nickname: row.nickname, children: [] };
    parent.children.push(node);
    byId.set(row.userId, node);
    size += 1;
    depth = Math.max(depth, row.depth);
  }
  return { root, depth, size };
}
