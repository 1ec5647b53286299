import type { LedgerQuery, LedgerResponse } from '@jizan/shared';
import { LIMITS } from '@jizan/shared/constants';
import type { Executor } from '../../db/client.js';
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

export { findDrift } from './ledger.repository.js';
