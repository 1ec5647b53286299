import type { LedgerQuery, LedgerResponse } from '@jizan/shared';
import { LIMITS } from '@jizan/shared/constants';
import type { Db, Executor } from '../../db/client.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { iso } from '../../lib/time.js';
import { participantEnergy, requireCampaign } from '../campaigns/campaigns.service.js';
import * as repo from './ledger.repository.js';

/** Newest first; the cursor is the last id seen, so entries added meanwhile never shift a page. */
export async function myLedger(deps: { db: Executor }, userId: string, q: LedgerQuery): Promise<LedgerResponse> {
  await requireCampaign(deps.db, q.campaignId);
  const limit = q.limit ?? LIMITS.pageSizeDefault;
  const beforeId = q.cursor ? decodeCursor(q.cursor) : null;
  const [page, balance] = await Promise.all([
    repo.pageForUser(deps.db, { campaignId: q.campaignId, userId, beforeId, limit: limit + 1 }),
    participantEnergy(deps.db, q.campaignId, userId),
  ]);
  const entries = page.slice(0, limit);
  const last = entries[entries.length - 1];
  return {
    balance,
    entries: entries.map((e) => ({
      id: String(e.id),
      amount: e.amount,
      reason: e.reason,
      from: e.fromId ? { id: e.fromId, nickname: e.fromNickname ?? '', avatarUrl: e.fromAvatarUrl } : null,
      createdAt: iso(e.createdAt),
    })),
    nextCursor: page.length > limit && last ? encodeCursor(last.id) : null,
  };
}

/**
 * A friend joined a group buy through the sharer's card and paid: the sharer (and their team) earn
 * `energy`, once per friend per group. Takes the caller's transaction first (the payment's), as
 * the repository statement it guards does.
 */
export async function creditGroupJoin(tx: Executor, credit: repo.GroupJoinCredit): Promise<number | null> {
  if (credit.energy <= 0 || credit.sharerId === credit.joinerId) return null;
  return repo.creditGroupJoin(tx, credit);
}

export { findDrift } from './ledger.repository.js';

/** One step of the `ledger-sums` job in its own transaction (see foldLedgerSums). */
export function foldLedgerSums(deps: { db: Db }): Promise<number> {
  return deps.db.transaction((tx) => repo.foldLedgerSums(tx));
}

/** One campaign's energy books (totals and every drifting balance), for the operators' ledger audit. */
export function campaignLedgerAudit(ex: Executor, campaignId: string): Promise<repo.CampaignLedgerAudit> {
  return repo.campaignLedgerAudit(ex, campaignId);
}

/**
 * Each member's contribution to their team in the campaign (user, team, energy), summed from the
 * ledger rather than the kept balances, so a prize-pool split rests on the rows themselves. Takes
 * the caller's executor: settlement reads it inside the transaction that writes the split.
 */
export function teamContributions(ex: Executor, campaignId: string): Promise<{ teamId: string; userId: string; energy: number }[]> {
  return repo.teamContributions(ex, campaignId);
}
