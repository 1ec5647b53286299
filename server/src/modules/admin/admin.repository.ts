import { and, asc, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';
import {
  adminAudit,
  energyLedger,
  fraudFlags,
  groupBuyMembers,
  groupBuys,
  operators,
  orders,
  participants,
  teamMembers,
  teams,
  users,
} from '../../db/schema/index.js';

export type OperatorRow = typeof operators.$inferSelect;
export type AuditRow = typeof adminAudit.$inferSelect;

/** The live (not revoked) operator holding this key hash. */
export async function findOperatorByKeyHash(ex: Executor, keyHash: string): Promise<OperatorRow | undefined> {
  const [row] = await ex.select().from(operators).where(and(eq(operators.keyHash, keyHash), isNull(operators.revokedAt)));
  return row;
}

/** Null when the name is taken (unique index), so two creations at once cannot both succeed. */
export async function insertOperator(
  ex: Executor,
  v: { name: string; scopes: ('read' | 'write')[]; keyPrefix: string; keyHash: string; at: Date },
): Promise<OperatorRow | null> {
  const [row] = await ex
    .insert(operators)
    .values({ name: v.name, scopes: v.scopes, keyPrefix: v.keyPrefix, keyHash: v.keyHash, createdAt: v.at })
    .onConflictDoNothing({ target: operators.name })
    .returning();
  return row ?? null;
}

/**
 * Creates or re-keys the named operator in one statement: two instances seeding at once both
 * land on the same row, and a changed dev secret moves the key with it.
 */
export async function upsertOperator(
  ex: Executor,
  v: { name: string; scopes: ('read' | 'write')[]; keyPrefix: string; keyHash: string; at: Date },
): Promise<OperatorRow> {
  const [row] = await ex
    .insert(operators)
    .values({ name: v.name, scopes: v.scopes, keyPrefix: v.keyPrefix, keyHash: v.keyHash, createdAt: v.at })
    .onConflictDoUpdate({
      target: operators.name,
      set: { keyPrefix: sql`excluded.key_prefix`, keyHash: sql`excluded.key_hash`, scopes: sql`excluded.scopes`, revokedAt: null },
    })
    .returning();
  return row!;
}

/** Revokes the named operator's key; null when there is no such live operator. */
export async function revokeOperator(ex: Executor, name: string, at: Date): Promise<OperatorRow | null> {
  const [row] = await ex
    .update(operators)
    .set({ revokedAt: at })
    .where(and(eq(operators.name, name), isNull(operators.revokedAt)))
    .returning();
  return row ?? null;
}

export async function insertAudit(
  ex: Executor,
  v: { operatorId: string | null; operatorName: string; action: string; targetType: string; targetId: string; before: unknown; after: unknown; at: Date },
): Promise<void> {
  await ex.insert(adminAudit).values({
    operatorId: v.operatorId,
    operatorName: v.operatorName,
    action: v.action,
    targetType: v.targetType,
    targetId: v.targetId,
    before: v.before ?? null,
    after: v.after ?? null,
    createdAt: v.at,
  });
}

/** Newest first, keyset-paged on id. */
export async function listAudit(
  ex: Executor,
  q: { targetType?: string; targetId?: string; beforeId: number | null; limit: number },
): Promise<AuditRow[]> {
  const where = [
    q.targetType ? eq(adminAudit.targetType, q.targetType) : undefined,
    q.targetId ? eq(adminAudit.targetId, q.targetId) : undefined,
    q.beforeId !== null ? lt(adminAudit.id, q.beforeId) : undefined,
  ];
  return ex.select().from(adminAudit).where(and(...where)).orderBy(desc(adminAudit.id)).limit(q.limit);
}

// ---- Campaigns (read here; written through the campaigns service) ----------------------------

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

// ---- Fraud -----------------------------------------------------------------------------------

export type FlagRow = typeof fraudFlags.$inferSelect;
export type FlagKind = FlagRow['kind'];

/** Likes still standing (not voided by a review). */
const standingLike = sql`not exists (select 1 from energy_ledger v where v.like_id = k.id and v.reason = 'like_voided')`;

/** Campaigns worth scanning: published, and live or ended within the last week. */
export async function campaignsToScan(ex: Executor, now: Date): Promise<string[]> {
  const found = await rows<{ id: string }>(
    ex,
    sql`select id::text as id from campaigns
        where published_at is not null and starts_at <= ${now} and ends_at > ${new Date(now.getTime() - 7 * 24 * 3600_000)}`,
  );
  return found.map((r) => r.id);
}

export async function likeEdges(ex: Executor, campaignId: string): Promise<{ likerId: string; sharerId: string; likes: number }[]> {
  const found = await rows<{ liker_id: string; sharer_id: string; n: number }>(
    ex,
    sql`select k.liker_id::text, k.sharer_id::text, count(*)::int as n from likes k
        where k.campaign_id = ${campaignId} and ${standingLike} group by 1, 2`,
  );
  return found.map((r) => ({ likerId: r.liker_id, sharerId: r.sharer_id, likes: Number(r.n) }));
}

export async function teamLikes(ex: Executor, campaignId: string): Promise<{ teamId: string; memberIds: string[]; given: number; toTeammates: number }[]> {
  const found = await rows<{ team_id: string; members: string[]; given: number; to_teammates: number }>(
    ex,
    sql`select m.team_id::text,
               array_agg(distinct m.user_id::text) as members,
               count(k.id)::int as given,
               count(k.id) filter (where sm.team_id = m.team_id)::int as to_teammates
        from team_members m
        left join likes k on k.campaign_id = m.campaign_id and k.liker_id = m.user_id and ${standingLike}
        left join team_members sm on sm.campaign_id = k.campaign_id and sm.user_id = k.sharer_id
        where m.campaign_id = ${campaignId}
        group by m.team_id`,
  );
  return found.map((r) => ({ teamId: r.team_id, memberIds: r.members, given: Number(r.given), toTeammates: Number(r.to_teammates) }));
}

/**
 * Likes received by sharers who got at least `minLikes` in some 10-minute bucket pair: only those can
 * hold a burst, so the rule does not have to see every like of a big campaign.
 */
export async function likesOfBusySharers(ex: Executor, campaignId: string, minLikes: number): Promise<{ sharerId: string; at: Date }[]> {
  const found = await rows<{ sharer_id: string; created_at: Date | string }>(
    ex,
    sql`with busy as (
          select sharer_id from likes k
          where k.campaign_id = ${campaignId} and ${standingLike}
          group by sharer_id, floor(extract(epoch from created_at) / 1200)
          having count(*) >= ${Math.ceil(minLikes / 2)}
        )
        select k.sharer_id::text, k.created_at from likes k
        where k.campaign_id = ${campaignId} and k.sharer_id in (select sharer_id from busy) and ${standingLike}`,
  );
  return found.map((r) => ({ sharerId: r.sharer_id, at: r.created_at instanceof Date ? r.created_at : new Date(r.created_at) }));
}

export async function loginFacts(ex: Executor): Promise<{ userId: string; ip: string | null; deviceId: string | null }[]> {
  const found = await rows<{ user_id: string; ip: string | null; device_id: string | null }>(
    ex,
    sql`select distinct user_id::text, ip, device_id from login_events`,
  );
  return found.map((r) => ({ userId: r.user_id, ip: r.ip, deviceId: r.device_id }));
}

/** Adds flags; an open flag for the same subject gets the fresh evidence, a reviewed one is left alone. */
export async function upsertFlags(
  ex: Executor,
  flags: { kind: FlagKind; subject: string; campaignId: string | null; userId: string; evidence: unknown }[],
  at: Date,
): Promise<number> {
  if (flags.length === 0) return 0;
  const inserted = await ex
    .insert(fraudFlags)
    .values(flags.map((f) => ({ ...f, evidence: f.evidence as object, detectedAt: at })))
    .onConflictDoUpdate({
      target: fraudFlags.subject,
      set: { evidence: sql`excluded.evidence`, detectedAt: sql`excluded.detected_at` },
      setWhere: sql`${fraudFlags.status} = 'open'`,
    })
    .returning({ id: fraudFlags.id });
  return inserted.length;
}

export interface FlagListRow extends FlagRow {
  nickname: string;
}

export async function listFlags(
  ex: Executor,
  q: { status?: FlagRow['status']; kind?: FlagKind; campaignId?: string; userId?: string; afterId: number | null; limit: number },
): Promise<FlagListRow[]> {
  const where = [
    q.status ? eq(fraudFlags.status, q.status) : undefined,
    q.kind ? eq(fraudFlags.kind, q.kind) : undefined,
    q.campaignId ? eq(fraudFlags.campaignId, q.campaignId) : undefined,
    q.userId ? eq(fraudFlags.userId, q.userId) : undefined,
    q.afterId !== null ? gt(fraudFlags.id, q.afterId) : undefined,
  ];
  const found = await ex
    .select({ flag: fraudFlags, nickname: users.nickname })
    .from(fraudFlags)
    .innerJoin(users, eq(users.id, fraudFlags.userId))
    .where(and(...where))
    .orderBy(asc(fraudFlags.id))
    .limit(q.limit);
  return found.map((r) => ({ ...r.flag, nickname: r.nickname }));
}

/** The flag, locked until the transaction ends: two reviews of one flag run one after the other. */
export async function lockFlag(ex: Executor, id: number): Promise<FlagRow | undefined> {
  const [row] = await ex.select().from(fraudFlags).where(eq(fraudFlags.id, id)).for('update');
  return row;
}

export async function resolveFlag(ex: Executor, id: number, v: { status: 'voided' | 'dismissed'; at: Date; by: string }): Promise<FlagRow> {
  const [row] = await ex.update(fraudFlags).set({ status: v.status, resolvedAt: v.at, resolvedBy: v.by }).where(eq(fraudFlags.id, id)).returning();
  return row!;
}

// ---- Ledger audit ----------------------------------------------------------------------------

// ---- Users -----------------------------------------------------------------------------------

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
  return { given: Number(row?.given ?? 0), received: Number(row?.received ?? 0) };
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
