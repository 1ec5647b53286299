import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';
import { redPacketBudgets, redPackets, redPacketSettlements } from '../../db/schema/index.js';
import { num } from '../../lib/num.js';

export type RedPacketRow = typeof redPackets.$inferSelect;
export type SettlementRow = typeof redPacketSettlements.$inferSelect;
export type BudgetRow = typeof redPacketBudgets.$inferSelect;

// ---- Budget ----

/** Opens the campaign's budget at B on first use; later calls leave it alone. */
export async function ensureBudget(ex: Executor, campaignId: string, budget: number, at: Date): Promise<void> {
  await ex.insert(redPacketBudgets).values({ campaignId, budget, remaining: budget, createdAt: at }).onConflictDoNothing();
}

export async function findBudget(ex: Executor, campaignId: string): Promise<BudgetRow | undefined> {
  const [row] = await ex.select().from(redPacketBudgets).where(eq(redPacketBudgets.campaignId, campaignId));
  return row;
}

/** The budget row, locked until the transaction ends: settlement reads "what is left" under it. */
export async function lockBudget(ex: Executor, campaignId: string): Promise<BudgetRow | undefined> {
  const [row] = await ex.select().from(redPacketBudgets).where(eq(redPacketBudgets.campaignId, campaignId)).for('update');
  return row;
}

/**
 * Takes `amount` from the budget if that much is left; null otherwise. The row lock this UPDATE
 * takes serialises payers, and the WHERE is re-checked after the lock, so the budget ends at
 * exactly zero under any stampede and never below.
 */
export async function debitBudget(ex: Executor, campaignId: string, amount: number): Promise<number | null> {
  const [row] = await ex
    .update(redPacketBudgets)
    .set({ remaining: sql`${redPacketBudgets.remaining} - ${amount}` })
    .where(and(eq(redPacketBudgets.campaignId, campaignId), sql`${redPacketBudgets.remaining} >= ${amount}`))
    .returning({ remaining: redPacketBudgets.remaining });
  return row ? row.remaining : null;
}

// ---- Red packets ----

/** The tier red packet, or undefined when the user already claimed that tier. */
export async function insertTierRedPacket(
  ex: Executor,
  v: { campaignId: string; userId: string; tier: number; energy: number; amount: number; at: Date; holdUntil: Date },
): Promise<RedPacketRow | undefined> {
  const [row] = await ex
    .insert(redPackets)
    .values({ campaignId: v.campaignId, userId: v.userId, kind: 'tier', tier: v.tier, energy: v.energy, amount: v.amount, createdAt: v.at, holdUntil: v.holdUntil })
    .onConflictDoNothing()
    .returning();
  return row;
}

export async function claimedTiers(ex: Executor, campaignId: string, userId: string): Promise<number[]> {
  const found = await ex
    .select({ tier: redPackets.tier })
    .from(redPackets)
    .where(and(eq(redPackets.campaignId, campaignId), eq(redPackets.userId, userId), eq(redPackets.kind, 'tier')));
  return found.map((r) => r.tier!);
}

export async function findSettlement(ex: Executor, campaignId: string): Promise<SettlementRow | undefined> {
  const [row] = await ex.select().from(redPacketSettlements).where(eq(redPacketSettlements.campaignId, campaignId));
  return row;
}

// Spelled out: drizzle writes a lone table's columns unqualified, which inside this subquery would mean the attempt's id.
const attempted = (status: 'succeeded' | 'stuck') =>
  sql<boolean>`exists (select 1 from red_packet_payout_attempts a where a.red_packet_id = red_packets.id and a.status = ${status})`;
const succeeded = attempted('succeeded');
const stuck = attempted('stuck');

/** A red packet with the facts its delivery state is read from. */
export interface RedPacketWithAttempts extends RedPacketRow {
  succeeded: boolean;
  stuck: boolean;
  /** The review's decisions so far (cleared, flagged, released, voided). */
  decisions: string[];
  /** Its latest merchant transfer's state, if any. */
  transferState: string | null;
}

const decisions = sql<string[] | null>`(select array_agg(v.decision) from red_packet_reviews v where v.red_packet_id = red_packets.id)`;
const transferState = sql<string | null>`(select t.state from red_packet_transfers t where t.red_packet_id = red_packets.id order by t.id desc limit 1)`;

const withAttempts = { packet: redPackets, succeeded, stuck, decisions, transferState };
const flatten = (r: { packet: RedPacketRow; succeeded: boolean; stuck: boolean; decisions: string[] | null; transferState: string | null }): RedPacketWithAttempts => ({
  ...r.packet,
  succeeded: Boolean(r.succeeded),
  stuck: Boolean(r.stuck),
  decisions: r.decisions ?? [],
  transferState: r.transferState ?? null,
});

export async function poolRedPacketOf(ex: Executor, campaignId: string, userId: string): Promise<RedPacketWithAttempts | undefined> {
  const [row] = await ex
    .select(withAttempts)
    .from(redPackets)
    .where(and(eq(redPackets.campaignId, campaignId), eq(redPackets.userId, userId), eq(redPackets.kind, 'pool')));
  return row ? flatten(row) : undefined;
}

function mine(q: { userId: string; campaignId: string | null }): SQL | undefined {
  return and(eq(redPackets.userId, q.userId), q.campaignId === null ? undefined : eq(redPackets.campaignId, q.campaignId));
}

export async function pageForUser(
  ex: Executor,
  q: { userId: string; campaignId: string | null; beforeId: number | null; limit: number },
): Promise<RedPacketWithAttempts[]> {
  const found = await ex
    .select(withAttempts)
    .from(redPackets)
    .where(and(mine(q), q.beforeId === null ? undefined : lt(redPackets.id, q.beforeId)))
    .orderBy(desc(redPackets.id))
    .limit(q.limit);
  return found.map(flatten);
}

export async function totalForUser(ex: Executor, q: { userId: string; campaignId: string | null }): Promise<number> {
  const [row] = await ex.select({ total: sql<number>`coalesce(sum(${redPackets.amount}), 0)` }).from(redPackets).where(mine(q));
  return num(row?.total);
}

// ---- Verification ----

export interface MoneyProblem {
  campaignId: string;
  problem: string;
}

/**
 * Every way the red-packet books can disagree: red packets with no budget, a remaining that is not
 * B minus what was paid, more paid than B, a settlement whose red packets do not add up to what it
 * says it paid (or that paid beyond its pool), and a red packet paid twice. Empty when they agree.
 */
export async function findMoneyProblems(ex: Executor, opts: { campaignId?: string } = {}): Promise<MoneyProblem[]> {
  // One campaign (the operators' ledger audit) or every one (pnpm verify-ledger).
  const only = (column: SQL) => (opts.campaignId ? sql`where ${column} = ${opts.campaignId}` : sql``);
  const found = await rows<{ campaign_id: string; problem: string }>(
    ex,
    sql`
      with paid as (
        select campaign_id, sum(amount) as total from (
          select campaign_id, amount from red_packets ${only(sql`campaign_id`)}
          union all
          -- A voided red packet's compensating row gives its amount back to the budget.
          select campaign_id, -amount from red_packet_budget_returns ${only(sql`campaign_id`)}
          union all
          -- Coupons are paid from the same budget: a redemption's discount spends it, a give-back returns it.
          select campaign_id, -budget_delta from coupon_ledger where budget_delta <> 0 ${opts.campaignId ? sql`and campaign_id = ${opts.campaignId}` : sql``}
        ) m group by 1
      )
      select coalesce(b.campaign_id, p.campaign_id)::text as campaign_id,
             case when b.campaign_id is null then 'red packets paid ' || p.total || ' fen with no budget'
                  when coalesce(p.total, 0) > b.budget then 'paid ' || p.total || ' fen over a budget of ' || b.budget
                  else 'remaining ' || b.remaining || ' is not budget ' || b.budget || ' minus paid ' || coalesce(p.total, 0) end as problem
      from (select * from red_packet_budgets ${only(sql`campaign_id`)}) b
      full join paid p on p.campaign_id = b.campaign_id
      where b.campaign_id is null or coalesce(p.total, 0) > b.budget or b.remaining <> b.budget - coalesce(p.total, 0)
      union all
      select s.campaign_id::text,
             'settlement says it paid ' || s.paid || ' fen of a pool of ' || s.pool || ' but its red packets sum to ' || coalesce(sum(rp.amount), 0)
      from (select * from red_packet_settlements ${only(sql`campaign_id`)}) s
      left join red_packets rp on rp.settlement_id = s.id
      group by s.id, s.campaign_id, s.paid, s.pool
      having coalesce(sum(rp.amount), 0) <> s.paid or s.paid > s.pool
      union all
      select rp.campaign_id::text, 'red packet ' || rp.id || ' has ' || count(*) || ' successful payouts'
      from red_packet_payout_attempts a join red_packets rp on rp.id = a.red_packet_id
      where a.status = 'succeeded' ${opts.campaignId ? sql`and rp.campaign_id = ${opts.campaignId}` : sql``}
      group by rp.id
      having count(*) > 1
      union all
      select rp.campaign_id::text, 'red packet ' || rp.id || ' has ' || count(*) || ' merchant transfers that are not cancelled'
      from red_packet_transfers t join red_packets rp on rp.id = t.red_packet_id
      where t.state <> 'cancelled' ${opts.campaignId ? sql`and rp.campaign_id = ${opts.campaignId}` : sql``}
      group by rp.id, rp.campaign_id
      having count(*) > 1
      union all
      select rp.campaign_id::text, 'red packet ' || rp.id || ' was voided yet transferred (' || t.out_bill_no || ' ' || t.state || ')'
      from red_packet_budget_returns b join red_packets rp on rp.id = b.red_packet_id
      join red_packet_transfers t on t.red_packet_id = rp.id and t.state in ('success', 'wait_user_confirm', 'transferring')
      ${opts.campaignId ? sql`where rp.campaign_id = ${opts.campaignId}` : sql``}
      union all
      select rp.campaign_id::text, 'red packet ' || rp.id || ' returned ' || b.amount || ' fen to the budget but is worth ' || rp.amount
      from red_packet_budget_returns b join red_packets rp on rp.id = b.red_packet_id
      where b.amount <> rp.amount ${opts.campaignId ? sql`and rp.campaign_id = ${opts.campaignId}` : sql``}
      union all
      select rp.campaign_id::text, 'red packet ' || rp.id || ' was transferred (' || t.out_bill_no || ') before its hold ended'
      from red_packet_transfers t join red_packets rp on rp.id = t.red_packet_id
      where rp.hold_until is not null and t.created_at < rp.hold_until ${opts.campaignId ? sql`and rp.campaign_id = ${opts.campaignId}` : sql``}`,
  );
  return found.map((r) => ({ campaignId: r.campaign_id, problem: r.problem }));
}

// ---- Operators' reads ----

export interface CampaignRedPacketCounts {
  tierClaims: number;
  tierPaid: number;
  poolShares: number;
  poolPaid: number;
  delivered: number;
  pending: number;
  failed: number;
  /** Null until the first red packet is paid (the budget row is written then). */
  budget: number | null;
  remaining: number | null;
  settledAt: Date | null;
}

/** A campaign's red packets by kind and delivery state, its budget row and its settlement, in one read. */
export async function campaignCounts(ex: Executor, campaignId: string): Promise<CampaignRedPacketCounts> {
  const [row] = await rows<Record<string, unknown>>(
    ex,
    sql`
      with attempts as (
        select a.red_packet_id, bool_or(a.status = 'succeeded') as ok, bool_or(a.status = 'stuck') as stuck
        from red_packet_payout_attempts a join red_packets r on r.id = a.red_packet_id
        where r.campaign_id = ${campaignId} and a.status in ('succeeded', 'stuck')
        group by 1
      ),
      rp as (
        -- Delivered: a legacy payout success or a merchant transfer the user confirmed (SUCCESS); failed: stuck or FAIL.
        select r.kind, r.amount,
               coalesce(a.ok, false) or exists (select 1 from red_packet_transfers t where t.red_packet_id = r.id and t.state = 'success') as ok,
               coalesce(a.stuck, false) or exists (select 1 from red_packet_transfers t where t.red_packet_id = r.id and t.state = 'fail') as stuck
        from red_packets r left join attempts a on a.red_packet_id = r.id
        where r.campaign_id = ${campaignId}
          and not exists (select 1 from red_packet_budget_returns b where b.red_packet_id = r.id)
      )
      select count(*) filter (where kind = 'tier') as tier_claims,
             coalesce(sum(amount) filter (where kind = 'tier'), 0) as tier_paid,
             count(*) filter (where kind = 'pool') as pool_shares,
             coalesce(sum(amount) filter (where kind = 'pool'), 0) as pool_paid,
             count(*) filter (where ok) as delivered,
             count(*) filter (where not ok and not stuck) as pending,
             count(*) filter (where not ok and stuck) as failed,
             (select budget from red_packet_budgets where campaign_id = ${campaignId}) as budget,
             (select remaining from red_packet_budgets where campaign_id = ${campaignId}) as remaining,
             (select created_at from red_packet_settlements where campaign_id = ${campaignId}) as settled_at
      from rp`,
  );
  const n = (v: unknown) => num(v);
  const r = row ?? {};
  return {
    tierClaims: n(r.tier_claims),
    tierPaid: n(r.tier_paid),
    poolShares: n(r.pool_shares),
    poolPaid: n(r.pool_paid),
    delivered: n(r.delivered),
    pending: n(r.pending),
    failed: n(r.failed),
    budget: r.budget == null ? null : n(r.budget),
    remaining: r.remaining == null ? null : n(r.remaining),
    settledAt: r.settled_at == null ? null : new Date(r.settled_at as string | Date),
  };
}

export interface UnbackedRow extends RedPacketWithAttempts {
  energyNow: number;
}

/**
 * Red packets whose energy basis is now above what the ledger gives their holder: a tier claim whose
 * threshold exceeds the holder's campaign energy, or a pool share whose contribution exceeds the
 * holder's ledger rows on that team. Energy only ever shrinks when an operator voids likes, so only
 * holders with a `like_voided` row can have one, and the search starts from those rows (few, read
 * through their partial index) rather than from every red packet. A read join over the participants
 * and the ledger (ARCHITECTURE.md rule 4 allows reads across tables).
 */
export async function unbacked(ex: Executor, q: { campaignId: string | null; userIds: string[] | null }): Promise<UnbackedRow[]> {
  if (q.userIds !== null && q.userIds.length === 0) return [];
  const found = await rows<Record<string, unknown>>(
    ex,
    sql`
      with holders as (
        select distinct v.campaign_id, v.user_id from energy_ledger v
        where v.reason = 'like_voided'
          ${q.campaignId === null ? sql`` : sql`and v.campaign_id = ${q.campaignId}`}
          ${q.userIds === null ? sql`` : sql`and v.user_id in ${q.userIds}`}
      )
      select r.id, r.payout_id, r.campaign_id, r.user_id, r.kind, r.tier, r.energy, r.settlement_id, r.team_id, r.amount, r.created_at,
             exists (select 1 from red_packet_payout_attempts a where a.red_packet_id = r.id and a.status = 'succeeded') as succeeded,
             exists (select 1 from red_packet_payout_attempts a where a.red_packet_id = r.id and a.status = 'stuck') as stuck,
             (select array_agg(v.decision) from red_packet_reviews v where v.red_packet_id = r.id) as decisions,
             (select t.state from red_packet_transfers t where t.red_packet_id = r.id order by t.id desc limit 1) as transfer_state,
             r.hold_until,
             held.energy as energy_now
      from holders h
      join red_packets r on r.campaign_id = h.campaign_id and r.user_id = h.user_id
      cross join lateral (
        select case when r.kind = 'tier'
          then coalesce((select p.energy from participants p where p.campaign_id = r.campaign_id and p.user_id = r.user_id), 0)
          else coalesce((select sum(l.amount) from energy_ledger l
                         where l.campaign_id = r.campaign_id and l.team_id = r.team_id and l.user_id = r.user_id), 0)
        end as energy
      ) held
      where held.energy < r.energy
      order by r.id`,
  );
  return found.map((r) => ({
    id: Number(r.id),
    payoutId: String(r.payout_id),
    campaignId: String(r.campaign_id),
    userId: String(r.user_id),
    kind: r.kind as 'tier' | 'pool',
    tier: r.tier == null ? null : Number(r.tier),
    energy: Number(r.energy),
    settlementId: (r.settlement_id as string | null) ?? null,
    teamId: (r.team_id as string | null) ?? null,
    amount: Number(r.amount),
    createdAt: new Date(r.created_at as string | Date),
    succeeded: Boolean(r.succeeded),
    stuck: Boolean(r.stuck),
    decisions: (r.decisions as string[] | null) ?? [],
    transferState: (r.transfer_state as string | null) ?? null,
    holdUntil: r.hold_until == null ? null : new Date(r.hold_until as string | Date),
    energyNow: Number(r.energy_now),
  }));
}

export async function redPacketOf(ex: Executor, id: number): Promise<RedPacketWithAttempts | undefined> {
  const [row] = await ex.select(withAttempts).from(redPackets).where(eq(redPackets.id, id));
  return row ? flatten(row) : undefined;
}

export async function lockRedPacket(ex: Executor, id: number): Promise<RedPacketRow | undefined> {
  const [row] = await ex.select().from(redPackets).where(eq(redPackets.id, id)).for('update');
  return row;
}

/** Red packets in review (flagged, neither released nor voided), oldest first, with their reason. */
export async function inReview(ex: Executor, limit: number): Promise<(RedPacketWithAttempts & { reason: string; nickname: string })[]> {
  const found = await ex
    .select({
      ...withAttempts,
      reason: sql<string>`(select v.reason from red_packet_reviews v where v.red_packet_id = red_packets.id and v.decision = 'flagged')`,
      nickname: sql<string>`(select u.nickname from users u where u.id = red_packets.user_id)`,
    })
    .from(redPackets)
    .where(
      sql`exists (select 1 from red_packet_reviews v where v.red_packet_id = ${redPackets.id} and v.decision = 'flagged')
          and not exists (select 1 from red_packet_reviews v where v.red_packet_id = ${redPackets.id} and v.decision in ('released', 'voided'))`,
    )
    .orderBy(redPackets.id)
    .limit(limit);
  return found.map((r) => ({ ...flatten(r), reason: r.reason, nickname: r.nickname }));
}

/** Whether an operator voided a reward of this user in this campaign (they claim nothing more there). */
export async function hasVoidedReward(ex: Executor, campaignId: string, userId: string): Promise<boolean> {
  const [row] = await rows<{ yes: boolean }>(
    ex,
    sql`select exists (select 1 from red_packet_reviews v join red_packets r on r.id = v.red_packet_id
          where v.decision = 'voided' and r.campaign_id = ${campaignId} and r.user_id = ${userId}) as yes`,
  );
  return Boolean(row?.yes);
}
