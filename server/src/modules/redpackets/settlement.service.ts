import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { iso } from '../../lib/time.js';
import { requireCampaign, type Campaign } from '../campaigns/campaigns.service.js';
import { teamContributions } from '../ledger/ledger.service.js';
import type { PayoutProvider, PayoutResult } from './payout-provider.js';
import { splitPool, type TeamContributions } from './pool-split.js';
import { failedAttemptStatus } from './redpacket-rules.js';
import * as repo from './redpackets.repository.js';
import * as settlementRepo from './settlement.repository.js';

export interface PayoutDeps {
  db: Db;
  clock: Clock;
  payouts: PayoutProvider;
  /** Attempts at paying one red packet before it is left stuck for an operator. */
  payoutMaxAttempts: number;
}

export interface SettleDeps extends PayoutDeps {
  /** How long after the campaign's end the ledger is taken as final. */
  settleGraceSeconds: number;
}

export interface DeliveryRun {
  /** Provider calls this run made. */
  attempted: number;
  delivered: number;
  /** Failed but will be retried by a later run. */
  failed: number;
  /** Failed for good (refused, or out of attempts): left for an operator. */
  stuck: number;
}

export interface SettlementReport {
  campaignId: string;
  /** True when this run computed and wrote the split; false when an earlier (or concurrent) run had. */
  planned: boolean;
  settledAt: string;
  /** P as the rules stated it, what could be split (P capped by the budget left), and what was. */
  poolRule: number;
  pool: number;
  paid: number;
  teams: number;
  run: DeliveryRun;
  /** Every red packet of the campaign (tier and pool) by delivery state, after this run. */
  delivery: settlementRepo.DeliveryCounts;
}

const DELIVERY_BATCH = 10;

function groupByTeam(rows: { teamId: string; userId: string; energy: number }[]): TeamContributions[] {
  const teams = new Map<string, { userId: string; energy: number }[]>();
  for (const r of rows) {
    const members = teams.get(r.teamId) ?? [];
    members.push({ userId: r.userId, energy: r.energy });
    teams.set(r.teamId, members);
  }
  return [...teams].map(([teamId, members]) => ({ teamId, members }));
}

/**
 * Writes the campaign's settlement and every pool red packet in one transaction, or finds the one
 * already written. The budget row's lock serialises concurrent settlements (and late claims): the
 * second settlement waits, then finds the first one's rows and writes nothing. A run killed inside
 * this transaction wrote nothing at all.
 */
async function planSettlement(deps: SettleDeps, c: Campaign, now: Date) {
  return deps.db.transaction(async (tx) => {
    await repo.ensureBudget(tx, c.id, c.rules.redPacketBudget, now);
    const budget = await repo.lockBudget(tx, c.id);
    if (!budget) throw new Error(`red-packet budget of campaign ${c.id} vanished`);
    const existing = await repo.findSettlement(tx, c.id);
    if (existing) return { settlement: existing, planned: false };

    const pool = Math.min(c.rules.prizePool, budget.remaining);
    const split = splitPool(pool, groupByTeam(await teamContributions(tx, c.id)), c.rules.prizePoolMinTeamEnergy);
    const settlement = await settlementRepo.insertSettlement(tx, {
      campaignId: c.id,
      poolRule: c.rules.prizePool,
      pool,
      paid: split.paid,
      teams: split.teams.length,
      energy: split.teams.reduce((sum, t) => sum + t.energy, 0),
      at: now,
    });
    await settlementRepo.insertPoolRedPackets(tx, { campaignId: c.id, settlementId: settlement.id, at: now, shares: split.shares });
    if (split.paid > 0 && (await repo.debitBudget(tx, c.id, split.paid)) === null) {
      throw new Error(`budget of campaign ${c.id} moved under its lock`);
    }
    return { settlement, planned: true };
  });
}

/**
 * Settles a campaign's prize pool once it has ended: pool = min(P, what the budget has left),
 * split by the energy ledger, one red packet per member with a share, then paid through the
 * payout provider together with any tier red packets still waiting. Idempotent and resumable:
 * run it again after a crash, or twice at once, and each red packet is paid exactly once.
 */
export async function settleCampaign(deps: SettleDeps, campaignId: string): Promise<SettlementReport> {
  const c = await requireCampaign(deps.db, campaignId);
  const now = deps.clock.now();
  const from = new Date(c.endsAt.getTime() + deps.settleGraceSeconds * 1000);
  if (now < from) {
    throw new AppError('CAMPAIGN_NOT_ENDED', `The campaign can be settled from ${iso(from)}`, { settleFrom: iso(from) });
  }
  const { settlement, planned } = await planSettlement(deps, c, now);
  const run = await deliverRedPackets(deps, { campaignId: c.id });
  return {
    campaignId: c.id,
    planned,
    settledAt: iso(settlement.createdAt),
    poolRule: settlement.poolRule,
    pool: settlement.pool,
    paid: settlement.paid,
    teams: settlement.teams,
    run,
    delivery: await settlementRepo.deliveryCounts(deps.db, c.id),
  };
}

/**
 * Ended campaigns (past their grace period) with a prize pool still to settle: what the settlement
 * job polls for, then hands each to `settleCampaign`, which is safe to run in every instance at once.
 */
export async function campaignsDueForSettlement(
  deps: { db: Db; clock: Clock; settleGraceSeconds: number },
  limit = 100,
): Promise<string[]> {
  const endedBefore = new Date(deps.clock.now().getTime() - deps.settleGraceSeconds * 1000);
  return settlementRepo.campaignsAwaitingSettlement(deps.db, endedBefore, limit);
}

/** A provider that throws left the outcome unknown: record it as a retryable failure. */
async function pay(provider: PayoutProvider, p: settlementRepo.Undelivered): Promise<PayoutResult> {
  try {
    return await provider.pay({
      payoutId: p.payoutId.replaceAll('-', ''),
      userId: p.userId,
      campaignId: p.campaignId,
      amount: p.amount,
      memo: p.kind === 'pool' ? '集赞瓜分红包' : '集赞红包',
    });
  } catch (err) {
    return { ok: false, retryable: true, reason: `provider error: ${(err as Error).message ?? String(err)}` };
  }
}

/**
 * One pass over the red packets that still need paying (of one campaign, or of all): each gets at
 * most one attempt per pass, recorded as an append-only row in the same transaction that holds
 * its lock. If the process dies after the provider paid but before the row committed, the next
 * pass asks again under the same payout id and the provider answers the first transfer.
 */
export async function deliverRedPackets(deps: PayoutDeps, opts: { campaignId?: string; batchSize?: number } = {}): Promise<DeliveryRun> {
  const run: DeliveryRun = { attempted: 0, delivered: 0, failed: 0, stuck: 0 };
  let afterId = 0;
  for (;;) {
    const batch = await deps.db.transaction(async (tx) => {
      const due = await settlementRepo.lockUndelivered(tx, { campaignId: opts.campaignId ?? null, afterId, limit: opts.batchSize ?? DELIVERY_BATCH });
      const finished = await settlementRepo.finishedAmong(tx, due.map((p) => p.id));
      const tally: DeliveryRun = { attempted: 0, delivered: 0, failed: 0, stuck: 0 };
      for (const p of due) {
        if (finished.has(p.id)) continue;
        const result = await pay(deps.payouts, p);
        const status = result.ok
          ? 'succeeded'
          : failedAttemptStatus({ retryable: result.retryable, failuresBefore: p.failures, maxAttempts: deps.payoutMaxAttempts });
        await settlementRepo.insertAttempt(tx, {
          redPacketId: p.id,
          status,
          provider: deps.payouts.name,
          reference: result.ok ? result.reference : null,
          reason: result.ok ? null : result.reason,
          at: deps.clock.now(),
        });
        tally.attempted++;
        tally[status === 'succeeded' ? 'delivered' : status]++;
      }
      return { lastId: due[due.length - 1]?.id ?? null, tally };
    });
    for (const k of ['attempted', 'delivered', 'failed', 'stuck'] as const) run[k] += batch.tally[k];
    if (batch.lastId === null) return run;
    afterId = batch.lastId;
  }
}
