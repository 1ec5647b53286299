import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { iso } from '../../lib/time.js';
import { requireCampaign, type Campaign } from '../campaigns/campaigns.service.js';
import { teamContributions } from '../ledger/ledger.service.js';
import { chinaTime, yuan } from '../notifications/message-rules.js';
import { writeMessages } from '../notifications/notifications.service.js';
import { splitPool, type TeamContributions } from './pool-split.js';
import * as repo from './redpackets.repository.js';
import * as settlementRepo from './settlement.repository.js';

export interface SettleDeps {
  db: Db;
  clock: Clock;
  /** Pool shares wait this long for the fraud checks too, before the transfer job pays them. */
  holdMinutes: number;
  /** How long after the campaign's end the ledger is taken as final. */
  settleGraceSeconds: number;
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
  /** Every red packet of the campaign (tier and pool) by delivery state, after this run. */
  delivery: settlementRepo.DeliveryCounts;
}

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
    await settlementRepo.insertPoolRedPackets(tx, {
      campaignId: c.id,
      settlementId: settlement.id,
      at: now,
      holdUntil: new Date(now.getTime() + deps.holdMinutes * 60_000),
      shares: split.shares,
    });
    // Each member with a share hears of it in this transaction: the message exists iff the split does.
    await writeMessages(
      split.shares.map((sh) => ({
        userId: sh.userId,
        kind: 'reward_ready' as const,
        dedupeKey: `pool:${settlement.id}`,
        facts: { campaignId: c.id, campaign: c.name, amount: yuan(sh.amount), at: chinaTime(now) },
      })),
      now,
      tx,
    );
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
  return {
    campaignId: c.id,
    planned,
    settledAt: iso(settlement.createdAt),
    poolRule: settlement.poolRule,
    pool: settlement.pool,
    paid: settlement.paid,
    teams: settlement.teams,
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

