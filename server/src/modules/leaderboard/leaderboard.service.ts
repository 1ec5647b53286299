import type { LeaderboardBy, LeaderboardEntry, LeaderboardQuery, LeaderboardResponse } from '@jizan/shared';
import { LIMITS } from '@jizan/shared/constants';
import { LRUCache } from 'lru-cache';
import type { Db, Executor } from '../../db/client.js';
import { campaignForRead } from '../campaigns/campaigns.service.js';
import type { BoardStore } from './board-store.js';
import * as repo from './leaderboard.repository.js';

export { boardStoreFor, postgresBoards, type BoardStore } from './board-store.js';

/** How old the listed top rows of a board may be (plus the store's own lag); "me" is always read live. */
export const BOARD_REFRESH_MS = 2000;

/** The longest page a board serves; one cached list per board answers every shorter one. */
const LISTED = LIMITS.pageSizeMax;

interface Listing {
  entries: LeaderboardEntry[];
  /** When the entries were read (monotonic ms); -Infinity until the first read succeeds. */
  at: number;
  /** The read under way, so one request per board and instance refreshes it, never all of them. */
  refreshing: Promise<LeaderboardEntry[]> | null;
}

/** Per instance: each board's top rows, shared by every request for it (by store, so a test's two apps never share one). */
const listings = new LRUCache<string, Listing>({ max: 5_000 });

function refresh(boards: BoardStore, campaignId: string, by: LeaderboardBy, listing: Listing): Promise<LeaderboardEntry[]> {
  listing.refreshing = boards.top(campaignId, by, LISTED)
    .then((entries) => {
      listing.entries = entries;
      listing.at = performance.now();
      return entries;
    })
    .finally(() => {
      listing.refreshing = null;
    });
  return listing.refreshing;
}

/**
 * The board's top rows as this instance last read them, at most BOARD_REFRESH_MS (plus one read)
 * old: an older list is served while one request refreshes it in the background. Only a board
 * never read yet is waited for.
 */
async function listed(boards: BoardStore, campaignId: string, by: LeaderboardBy): Promise<LeaderboardEntry[]> {
  const key = `${boards.kind}:${campaignId}:${by}`;
  let listing = listings.get(key);
  if (!listing) listings.set(key, (listing = { entries: [], at: -Infinity, refreshing: null }));
  if (listing.at === -Infinity) return listing.refreshing ?? refresh(boards, campaignId, by, listing);
  if (!listing.refreshing && performance.now() - listing.at >= BOARD_REFRESH_MS) {
    // Keep serving the list we have if the read fails; the next request tries again.
    refresh(boards, campaignId, by, listing).catch(() => {});
  }
  return listing.entries;
}

/**
 * A board: its top rows (shared, a few seconds old at most) and the caller's own row, read live
 * with an exact rank, both from the configured store (Redis sorted sets, or PostgreSQL alone).
 */
export async function leaderboard(
  deps: { db: Db; boards: BoardStore },
  campaignId: string,
  userId: string,
  q: LeaderboardQuery,
): Promise<LeaderboardResponse> {
  await campaignForRead(deps.db, campaignId);
  const by = q.by ?? 'team';
  const limit = q.limit ?? LIMITS.pageSizeDefault;
  const [entries, me] = await Promise.all([
    listed(deps.boards, campaignId, by),
    deps.boards.standing(campaignId, by, userId),
  ]);
  return { by, entries: entries.slice(0, limit), me };
}

/** Folds the histogram's pending moves in (the job does it every tick; board reads too). */
export function compactHistogram(ex: Executor): Promise<number> {
  return repo.compactHistogram(ex);
}

/** For the ledger check: where the rank histogram disagrees with the balances (empty when it agrees). */
export function findHistogramDrift(ex: Executor): Promise<repo.HistogramDrift[]> {
  return repo.findHistogramDrift(ex);
}
export type { HistogramDrift } from './leaderboard.repository.js';
