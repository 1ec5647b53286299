import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';
import { redPacketPayoutAttempts, redPackets, redPacketSettlements } from '../../db/schema/index.js';
import { num } from '../../lib/num.js';
import type { SettlementRow } from './redpackets.repository.js';

// ---- Settlement's read of the campaigns ----

/**
 * Campaigns that ended before `endedBefore`, state a prize pool and have no settlement yet, oldest
 * first. Reads the rules' JSON, whose default for `prizePool` is 0. A read-only join over the
 * campaigns table (ARCHITECTURE.md rule 4 allows reads across tables): "no settlement yet" is this
 * module's fact, and asking the campaigns service for every ended campaign to filter them here would
 * read all of history on every tick of the settlement job.
 */
export async function campaignsAwaitingSettlement(ex: Executor, endedBefore: Date, limit: number): Promise<string[]> {
  const found = await rows<{ id: string }>(
    ex,
    sql`select c.id from campaigns c
        where c.ends_at <= ${endedBefore}
          and coalesce((c.rules ->> 'prizePool')::bigint, 0) > 0
          and not exists (select 1 from red_packet_settlements s where s.campaign_id = c.id)
        order by c.ends_at, c.id
        limit ${limit}`,
  );
  return found.map((r) => r.id);
}

// ---- The split ----

export async function insertSettlement(
  ex: Executor,
  v: { campaignId: string; poolRule: number; pool: number; paid: number; teams: number; energy: number; at: Date },
): Promise<SettlementRow> {
  const [row] = await ex
    .insert(redPacketSettlements)
    .values({ campaignId: v.campaignId, poolRule: v.poolRule, pool: v.pool, paid: v.paid, teams: v.teams, energy: v.energy, createdAt: v.at })
    .returning();
  return row!;
}

const INSERT_CHUNK = 1000;

export async function insertPoolRedPackets(
  ex: Executor,
  v: { campaignId: string; settlementId: string; at: Date; holdUntil: Date; shares: readonly { userId: string; teamId: string; energy: number; amount: number }[] },
): Promise<void> {
  for (let i = 0; i < v.shares.length; i += INSERT_CHUNK) {
    await ex.insert(redPackets).values(
      v.shares.slice(i, i + INSERT_CHUNK).map((s) => ({
        campaignId: v.campaignId,
        userId: s.userId,
        kind: 'pool' as const,
        energy: s.energy,
        settlementId: v.settlementId,
        teamId: s.teamId,
        amount: s.amount,
        createdAt: v.at,
        holdUntil: v.holdUntil,
      })),
    );
  }
}

// ---- Delivery ----

export interface Undelivered {
  id: number;
  payoutId: string;
  campaignId: string;
  userId: string;
  kind: 'tier' | 'pool';
  amount: number;
  failures: number;
}

/**
 * The next red packets after `afterId` that still need paying (no success, not stuck), locked
 * for this transaction. SKIP LOCKED lets several delivery runs (one per instance, or a script
 * beside the job) share the work without waiting on, or paying, each other's rows.
 */
export async function lockUndelivered(
  ex: Executor,
  q: { campaignId: string | null; afterId: number; limit: number },
): Promise<Undelivered[]> {
  const found = await rows<{ id: number; payout_id: string; campaign_id: string; user_id: string; kind: 'tier' | 'pool'; amount: number; failures: number }>(
    ex,
    sql`
      select rp.id, rp.payout_id, rp.campaign_id, rp.user_id, rp.kind, rp.amount,
             (select count(*) from red_packet_payout_attempts a where a.red_packet_id = rp.id and a.status = 'failed') as failures
      from red_packets rp
      where rp.id > ${q.afterId}
        ${q.campaignId === null ? sql`` : sql`and rp.campaign_id = ${q.campaignId}`}
        and not exists (select 1 from red_packet_payout_attempts a where a.red_packet_id = rp.id and a.status in ('succeeded', 'stuck'))
      order by rp.id
      limit ${q.limit}
      for update of rp skip locked`,
  );
  return found.map((r) => ({
    id: Number(r.id),
    payoutId: r.payout_id,
    campaignId: r.campaign_id,
    userId: r.user_id,
    kind: r.kind,
    amount: Number(r.amount),
    failures: Number(r.failures),
  }));
}

/**
 * Of these red packets, the ones already settled one way or the other. Asked again after taking
 * the locks: a statement sees what committed before it began, so a run that finished a packet
 * between our first read and our lock is seen here and the packet is not paid again.
 */
export async function finishedAmong(ex: Executor, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const found = await rows<{ id: number }>(
    ex,
    sql`select distinct red_packet_id as id from red_packet_payout_attempts
        where red_packet_id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)}) and status in ('succeeded', 'stuck')`,
  );
  return new Set(found.map((r) => Number(r.id)));
}

export async function insertAttempt(
  ex: Executor,
  v: { redPacketId: number; status: 'succeeded' | 'failed' | 'stuck'; provider: string; reference: string | null; reason: string | null; at: Date },
): Promise<void> {
  await ex.insert(redPacketPayoutAttempts).values({ ...v, createdAt: v.at }).onConflictDoNothing();
}

export interface DeliveryCounts {
  delivered: number;
  pending: number;
  failed: number;
}

export async function deliveryCounts(ex: Executor, campaignId: string): Promise<DeliveryCounts> {
  const [row] = await rows<DeliveryCounts>(
    ex,
    sql`
      with s as (
        select exists (select 1 from red_packet_payout_attempts a where a.red_packet_id = rp.id and a.status = 'succeeded') as ok,
               exists (select 1 from red_packet_payout_attempts a where a.red_packet_id = rp.id and a.status = 'stuck') as stuck
        from red_packets rp where rp.campaign_id = ${campaignId}
      )
      select count(*) filter (where ok) as delivered,
             count(*) filter (where not ok and not stuck) as pending,
             count(*) filter (where not ok and stuck) as failed
      from s`,
  );
  return { delivered: num(row?.delivered), pending: num(row?.pending), failed: num(row?.failed) };
}
