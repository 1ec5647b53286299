import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';
import { fraudFlags, users } from '../../db/schema/index.js';

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
