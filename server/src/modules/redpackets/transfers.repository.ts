import { and, eq, inArray, sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';
import { redPacketBudgetReturns, redPacketBudgets, redPacketReviews, redPacketTransfers } from '../../db/schema/index.js';
import type { TransferState } from './payout-provider.js';

export type TransferRow = typeof redPacketTransfers.$inferSelect;
export type ReviewDecision = 'cleared' | 'flagged' | 'released' | 'voided';

export interface DueRedPacket {
  id: number;
  campaignId: string;
  userId: string;
  openid: string;
  kind: 'tier' | 'pool';
  tier: number | null;
  amount: number;
  campaignTitle: string;
}

const legacyPaid = sql`exists (select 1 from red_packet_payout_attempts a where a.red_packet_id = r.id and a.status = 'succeeded')`;
const decided = (d: ReviewDecision) => sql`exists (select 1 from red_packet_reviews v where v.red_packet_id = r.id and v.decision = ${d})`;

function due(found: Record<string, unknown>[]): DueRedPacket[] {
  return found.map((r) => ({
    id: Number(r.id),
    campaignId: String(r.campaign_id),
    userId: String(r.user_id),
    openid: String(r.openid),
    kind: r.kind as 'tier' | 'pool',
    tier: r.tier == null ? null : Number(r.tier),
    amount: Number(r.amount),
    campaignTitle: String(r.title ?? ''),
  }));
}

/** Red packets whose hold is over and that no review has decided yet, locked (SKIP LOCKED: one reviewer each). */
export async function lockDueForReview(ex: Executor, now: Date, limit: number): Promise<DueRedPacket[]> {
  return due(
    await rows<Record<string, unknown>>(
      ex,
      sql`select r.id, r.campaign_id, r.user_id, u.openid, r.kind, r.tier, r.amount, c.name as title
          from red_packets r join users u on u.id = r.user_id join campaigns c on c.id = r.campaign_id
          where (r.hold_until is null or r.hold_until <= ${now})
            and not exists (select 1 from red_packet_reviews v where v.red_packet_id = r.id)
            and not ${legacyPaid}
          order by r.id limit ${limit}
          for update of r skip locked`,
    ),
  );
}

/** Cleared or released, not voided, and with no transfer that is not cancelled: cash to send. */
export async function lockDueForTransfer(ex: Executor, limit: number): Promise<DueRedPacket[]> {
  return due(
    await rows<Record<string, unknown>>(
      ex,
      sql`select r.id, r.campaign_id, r.user_id, u.openid, r.kind, r.tier, r.amount, c.name as title
          from red_packets r join users u on u.id = r.user_id join campaigns c on c.id = r.campaign_id
          where (${decided('cleared')} or ${decided('released')}) and not ${decided('voided')}
            and not exists (select 1 from red_packet_transfers t where t.red_packet_id = r.id and t.state <> 'cancelled')
            and not ${legacyPaid}
          order by r.id limit ${limit}
          for update of r skip locked`,
    ),
  );
}

/**
 * What the review reads about a red packet's holder: their open fraud flags (in the campaign or
 * account-wide), how many of the likes they received came from accounts with an open flag, and
 * other accounts of the same person (one unionid) holding a red packet of the same campaign.
 */
export async function reviewFacts(
  ex: Executor,
  r: { campaignId: string; userId: string },
): Promise<{ flags: string[]; likes: number; flaggedLikes: number; unionTwins: number }> {
  const [row] = await rows<{ flags: string[] | null; likes: number; flagged_likes: number; twins: number }>(
    ex,
    sql`select
          (select array_agg(distinct f.kind) from fraud_flags f
            where f.user_id = ${r.userId} and f.status = 'open' and (f.campaign_id is null or f.campaign_id = ${r.campaignId})) as flags,
          (select count(*)::int from likes k where k.campaign_id = ${r.campaignId} and k.sharer_id = ${r.userId}) as likes,
          (select count(*)::int from likes k where k.campaign_id = ${r.campaignId} and k.sharer_id = ${r.userId}
             and exists (select 1 from fraud_flags f where f.user_id = k.liker_id and f.status = 'open'
                         and (f.campaign_id is null or f.campaign_id = ${r.campaignId}))) as flagged_likes,
          (select count(*)::int from users me join users o on o.unionid = me.unionid and o.id <> me.id
             join red_packets rp on rp.user_id = o.id and rp.campaign_id = ${r.campaignId}
            where me.id = ${r.userId} and me.unionid is not null) as twins`,
  );
  return { flags: row?.flags ?? [], likes: Number(row?.likes ?? 0), flaggedLikes: Number(row?.flagged_likes ?? 0), unionTwins: Number(row?.twins ?? 0) };
}

/** The address a user last logged in from: where the platform's risk rank judges them. */
export async function lastLoginIp(ex: Executor, userId: string): Promise<string | null> {
  const [row] = await rows<{ ip: string }>(
    ex,
    sql`select ip from login_events where user_id = ${userId} and ip is not null order by created_at desc limit 1`,
  );
  return row?.ip ?? null;
}

/** False when that decision was already recorded (the unique row): a concurrent reviewer got there first. */
export async function insertReview(
  ex: Executor,
  v: { redPacketId: number; decision: ReviewDecision; reason: string; operatorId: string | null; at: Date },
): Promise<boolean> {
  const found = await ex
    .insert(redPacketReviews)
    .values({ redPacketId: v.redPacketId, decision: v.decision, reason: v.reason, operatorId: v.operatorId, createdAt: v.at })
    .onConflictDoNothing()
    .returning({ id: redPacketReviews.id });
  return found.length > 0;
}

export async function decisionsOf(ex: Executor, redPacketId: number): Promise<Set<ReviewDecision>> {
  const found = await ex.select({ d: redPacketReviews.decision }).from(redPacketReviews).where(eq(redPacketReviews.redPacketId, redPacketId));
  return new Set(found.map((r) => r.d));
}

/** The compensating row of a void and the budget it returns to, in the caller's transaction. */
export async function returnToBudget(ex: Executor, v: { redPacketId: number; campaignId: string; amount: number; at: Date }): Promise<void> {
  await ex.insert(redPacketBudgetReturns).values({ redPacketId: v.redPacketId, campaignId: v.campaignId, amount: v.amount, createdAt: v.at });
  await ex
    .update(redPacketBudgets)
    .set({ remaining: sql`${redPacketBudgets.remaining} + ${v.amount}` })
    .where(eq(redPacketBudgets.campaignId, v.campaignId));
}

export async function insertTransfer(ex: Executor, v: { redPacketId: number; outBillNo: string; provider: string; confirmBy: Date; at: Date }): Promise<TransferRow> {
  const [row] = await ex
    .insert(redPacketTransfers)
    .values({ redPacketId: v.redPacketId, outBillNo: v.outBillNo, provider: v.provider, confirmBy: v.confirmBy, createdAt: v.at, updatedAt: v.at })
    .returning();
  return row!;
}

const END_STATES: TransferState[] = ['success', 'fail', 'cancelled'];

/** Moves a transfer to what the platform said; an end state is never left (a late, stale answer changes nothing). */
export async function updateTransfer(
  ex: Executor,
  outBillNo: string,
  v: { state: TransferState; packageInfo?: string | null; transferBillNo?: string | null; failReason?: string | null; at: Date },
): Promise<TransferRow | undefined> {
  const [row] = await ex
    .update(redPacketTransfers)
    .set({
      state: v.state,
      updatedAt: v.at,
      ...(v.packageInfo !== undefined ? { packageInfo: v.packageInfo } : {}),
      ...(v.transferBillNo ? { transferBillNo: v.transferBillNo } : {}),
      ...(v.failReason !== undefined ? { failReason: v.failReason } : {}),
    })
    .where(and(eq(redPacketTransfers.outBillNo, outBillNo), sql`${redPacketTransfers.state} not in ('success', 'fail', 'cancelled')`))
    .returning();
  return row;
}

export async function findTransfer(ex: Executor, outBillNo: string): Promise<TransferRow | undefined> {
  const [row] = await ex.select().from(redPacketTransfers).where(eq(redPacketTransfers.outBillNo, outBillNo));
  return row;
}

/** Transfers whose end the platform has not told us yet, last touched before `before`, locked (SKIP LOCKED). */
export async function lockOpenTransfers(ex: Executor, before: Date, limit: number): Promise<TransferRow[]> {
  const found = await ex
    .select()
    .from(redPacketTransfers)
    .where(and(inArray(redPacketTransfers.state, ['transferring', 'wait_user_confirm', 'cancelling']), sql`${redPacketTransfers.updatedAt} <= ${before}`))
    .orderBy(redPacketTransfers.id)
    .limit(limit)
    .for('update', { skipLocked: true });
  return found;
}

/** A red packet's latest transfer (its live one, or the last cancelled). */
export async function latestTransferOf(ex: Executor, redPacketId: number): Promise<TransferRow | undefined> {
  const [row] = await ex
    .select()
    .from(redPacketTransfers)
    .where(eq(redPacketTransfers.redPacketId, redPacketId))
    .orderBy(sql`${redPacketTransfers.id} desc`)
    .limit(1);
  return row;
}

export { END_STATES };

/** One red packet with what a transfer of it needs (the holder's openid, the campaign's title). */
export async function packetToPay(ex: Executor, redPacketId: number): Promise<DueRedPacket | null> {
  const found = await rows<Record<string, unknown>>(
    ex,
    sql`select r.id, r.campaign_id, r.user_id, u.openid, r.kind, r.tier, r.amount, c.name as title
        from red_packets r join users u on u.id = r.user_id join campaigns c on c.id = r.campaign_id
        where r.id = ${redPacketId}`,
  );
  return due(found)[0] ?? null;
}
