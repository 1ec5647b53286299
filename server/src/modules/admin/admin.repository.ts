import { desc, eq, sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';
import {
  groupBuyMembers,
  groupBuys,
  orders,
  participants,
  teamMembers,
  teams,
  users,
} from '../../db/schema/index.js';
import { num } from '../../lib/num.js';

// ---- Campaigns (read here; written through the campaigns service) ----

export type CampaignLifecycleFilter = 'draft' | 'scheduled' | 'live' | 'ended' | 'settled';

export interface AdminCampaignRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  rules: unknown;
  publishedAt: Date | null;
  createdAt: Date;
  settled: boolean;
}

const settledSql = sql`exists (select 1 from red_packet_settlements s where s.campaign_id = c.id)`;

function stateWhere(state: CampaignLifecycleFilter, now: Date) {
  const published = sql`c.published_at is not null and not ${settledSql}`;
  switch (state) {
    case 'draft':
      return sql`c.published_at is null`;
    case 'settled':
      return sql`c.published_at is not null and ${settledSql}`;
    case 'scheduled':
      return sql`${published} and c.starts_at > ${now}`;
    case 'live':
      return sql`${published} and c.starts_at <= ${now} and c.ends_at > ${now}`;
    case 'ended':
      return sql`${published} and c.ends_at <= ${now}`;
  }
}

function campaignRowOf(r: Record<string, unknown>): AdminCampaignRow {
  const at = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));
  return {
    id: String(r.id),
    slug: String(r.slug),
    name: String(r.name),
    description: String(r.description),
    startsAt: at(r.starts_at),
    endsAt: at(r.ends_at),
    timeZone: String(r.time_zone),
    rules: r.rules,
    publishedAt: r.published_at === null ? null : at(r.published_at),
    createdAt: at(r.created_at),
    settled: Boolean(r.settled),
  };
}

/** Every campaign, newest first, keyset-paged on (created_at, id). */
export async function listCampaigns(
  ex: Executor,
  q: { state?: CampaignLifecycleFilter; now: Date; after: { createdAt: string; id: string } | null; limit: number },
): Promise<AdminCampaignRow[]> {
  const where = [sql`true`];
  if (q.state) where.push(stateWhere(q.state, q.now));
  if (q.after) where.push(sql`(c.created_at, c.id) < (${q.after.createdAt}::timestamptz, ${q.after.id}::uuid)`);
  const found = await rows<Record<string, unknown>>(
    ex,
    sql`select c.*, ${settledSql} as settled from campaigns c where ${sql.join(where, sql` and `)}
        order by c.created_at desc, c.id desc limit ${q.limit}`,
  );
  return found.map(campaignRowOf);
}

/** `lock` holds the campaign row until the transaction ends, so two lifecycle moves at once run one after the other. */
export async function findCampaign(ex: Executor, id: string, lock = false): Promise<AdminCampaignRow | undefined> {
  const [row] = await rows<Record<string, unknown>>(
    ex,
    sql`select c.*, ${settledSql} as settled from campaigns c where c.id = ${id} ${lock ? sql`for update of c` : sql``}`,
  );
  return row && campaignRowOf(row);
}

// ---- Users ----

export async function findUser(ex: Executor, by: { id?: string; openid?: string }) {
  const [row] = await ex
    .select()
    .from(users)
    .where(by.id ? eq(users.id, by.id) : eq(users.openid, by.openid ?? ''));
  return row;
}

/** How many of each list the user view shows. */
export const RECENT = 50;

export interface UserLedgerRow {
  id: number;
  campaignId: string;
  teamId: string | null;
  amount: number;
  reason: string;
  likeId: number | null;
  createdAt: Date;
}

export interface UserLikeRow {
  id: number;
  campaignId: string;
  /** The other side: the sharer of a like given, the liker of a like received. */
  userId: string;
  energy: number;
  voided: boolean;
  createdAt: Date;
}

/*
 * A user's rows across campaigns: every index on these tables leads with the campaign (that is what
 * the like path and the ledger's balance checks need), so each campaign is read through its own
 * index range (a lateral join over the few campaigns) rather than scanning a million likes.
 */
const perCampaign = (campaignId: string | null) => (campaignId ? sql`c.id = ${campaignId}` : sql`true`);
const at = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));

/** A user's ledger rows, newest first, before `beforeId` (every campaign, or one). */
export async function userLedgerPage(
  ex: Executor,
  q: { userId: string; campaignId: string | null; beforeId: number | null; limit: number },
): Promise<UserLedgerRow[]> {
  const before = q.beforeId === null ? sql`` : sql`and l.id < ${q.beforeId}`;
  const found = await rows<Record<string, unknown>>(
    ex,
    sql`select l.id, l.campaign_id::text, l.team_id::text, l.amount, l.reason, l.like_id, l.created_at
        from campaigns c cross join lateral (
          select * from energy_ledger l where l.campaign_id = c.id and l.user_id = ${q.userId} ${before}
          order by l.id desc limit ${q.limit}) l
        where ${perCampaign(q.campaignId)}
        order by l.id desc limit ${q.limit}`,
  );
  return found.map((r) => ({
    id: Number(r.id),
    campaignId: String(r.campaign_id),
    teamId: (r.team_id as string | null) ?? null,
    amount: Number(r.amount),
    reason: String(r.reason),
    likeId: r.like_id == null ? null : Number(r.like_id),
    createdAt: at(r.created_at),
  }));
}

/** Likes the user gave (`given`: the other side is the sharer) or received, newest first, before `beforeId`. */
export async function userLikesPage(
  ex: Executor,
  q: { userId: string; side: 'given' | 'received'; campaignId: string | null; beforeId: number | null; limit: number },
): Promise<UserLikeRow[]> {
  const [self, other] = q.side === 'given' ? [sql`k.liker_id`, sql`k.sharer_id`] : [sql`k.sharer_id`, sql`k.liker_id`];
  const before = q.beforeId === null ? sql`` : sql`and k.id < ${q.beforeId}`;
  const found = await rows<Record<string, unknown>>(
    ex,
    sql`select k.id, k.campaign_id::text, k.other::text, k.energy, k.created_at,
               exists (select 1 from energy_ledger v where v.like_id = k.id and v.reason = 'like_voided') as voided
        from campaigns c cross join lateral (
          select k.id, k.campaign_id, ${other} as other, k.energy, k.created_at from likes k
          where k.campaign_id = c.id and ${self} = ${q.userId} ${before}
          order by k.id desc limit ${q.limit}) k
        where ${perCampaign(q.campaignId)}
        order by k.id desc limit ${q.limit}`,
  );
  return found.map((r) => ({
    id: Number(r.id),
    campaignId: String(r.campaign_id),
    userId: String(r.other),
    energy: Number(r.energy),
    voided: Boolean(r.voided),
    createdAt: at(r.created_at),
  }));
}

/** How many likes the user gave and received in all campaigns. */
export async function userLikeCounts(ex: Executor, userId: string): Promise<{ given: number; received: number }> {
  const [row] = await rows<{ given: number; received: number }>(
    ex,
    sql`select coalesce(sum((select count(*) from likes k where k.campaign_id = c.id and k.liker_id = ${userId})), 0)::int as given,
               coalesce(sum((select count(*) from likes k where k.campaign_id = c.id and k.sharer_id = ${userId})), 0)::int as received
        from campaigns c`,
  );
  return { given: num(row?.given), received: num(row?.received) };
}

export async function userActivity(ex: Executor, userId: string) {
  const page = { userId, campaignId: null, beforeId: null, limit: RECENT };
  const [balances, ledger, given, received, counts, memberships, seats, userOrders] = await Promise.all([
    ex.select({ campaignId: participants.campaignId, energy: participants.energy }).from(participants).where(eq(participants.userId, userId)),
    userLedgerPage(ex, page),
    userLikesPage(ex, { ...page, side: 'given' }),
    userLikesPage(ex, { ...page, side: 'received' }),
    userLikeCounts(ex, userId),
    ex
      .select({ teamId: teams.id, campaignId: teams.campaignId, name: teams.name, role: teamMembers.role, energy: teams.energy, joinedAt: teamMembers.joinedAt })
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .where(eq(teamMembers.userId, userId)),
    ex
      .select({ groupId: groupBuys.id, campaignId: groupBuys.campaignId, productId: groupBuys.productId, status: groupBuys.status, joinedAt: groupBuyMembers.joinedAt, released: groupBuyMembers.releasedAt })
      .from(groupBuyMembers)
      .innerJoin(groupBuys, eq(groupBuys.id, groupBuyMembers.groupId))
      .where(eq(groupBuyMembers.userId, userId)),
    ex.select().from(orders).where(eq(orders.userId, userId)).orderBy(desc(orders.createdAt)).limit(RECENT),
  ]);
  return { balances, ledger, given, received, counts, memberships, seats, orders: userOrders };
}
