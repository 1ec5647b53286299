import type { LeaderboardBy, LeaderboardEntry, LeaderboardQuery, LeaderboardResponse, MyLeaderboardEntry } from '@jizan/shared';
import { LIMITS } from '@jizan/shared/constants';
import { LRUCache } from 'lru-cache';
import type { Db, Executor } from '../../db/client.js';
import { campaignForRead } from '../campaigns/campaigns.service.js';
import { teamStandingOf, topTeams } from '../teams/teams.service.js';
import * as repo from './leaderboard.repository.js';

/** How old the listed top rows of a board may be; "me" is always read live. */
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

/** Per instance: each board's top rows, shared by every request for it. */
const listings = new LRUCache<string, Listing>({ max: 5_000 });

/**
 * Reads a board's top rows, after folding the pending histogram moves (so "my rank" sums few of
 * them). A failed fold does not keep the board from being listed: the job folds them later.
 */
async function readTop(db: Db, campaignId: string, by: LeaderboardBy): Promise<LeaderboardEntry[]> {
  await repo.compactHistogram(db).catch(() => 0);
  return by === 'team' ? topTeams(db, campaignId, LISTED) : repo.topUsers(db, campaignId, LISTED);
}

function refresh(db: Db, campaignId: string, by: LeaderboardBy, listing: Listing): Promise<LeaderboardEntry[]> {
  listing.refreshing = readTop(db, campaignId, by)
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
async function listed(db: Db, campaignId: string, by: LeaderboardBy): Promise<LeaderboardEntry[]> {
  const key = `${campaignId}:${by}`;
  let listing = listings.get(key);
  if (!listing) listings.set(key, (listing = { entries: [], at: -Infinity, refreshing: null }));
  if (listing.at === -Infinity) return listing.refreshing ?? refresh(db, campaignId, by, listing);
  if (!listing.refreshing && performance.now() - listing.at >= BOARD_REFRESH_MS) {
    // Keep serving the list we have if the read fails; the next request tries again.
    refresh(db, campaignId, by, listing).catch(() => {});
  }
  return listing.entries;
}

/**
 * A board: its top rows (shared, a few seconds old at most) and the caller's own row, read live
 * with an exact rank. The team board comes from the teams module, which owns a team's rank.
 */
export async function leaderboard(
  deps: { db: Db },
  campaignId: string,
  userId: string,
  q: LeaderboardQuery,
): Promise<LeaderboardResponse> {
  await campaignForRead(deps.db, campaignId);
  const by = q.by ?? 'team';
  const limit = q.limit ?? LIMITS.pageSizeDefault;
  const [entries, me] = await Promise.all([
    listed(deps.db, campaignId, by),
    by === 'team' ? teamStandingOf(deps.db, campaignId, userId) : myUserStanding(deps.db, campaignId, userId),
  ]);
  return { by, entries: entries.slice(0, limit), me };
}

/** My row on the user board, with the gap to the user above (距上一名还差 X 能量). */
function myUserStanding(db: Db, campaignId: string, userId: string): Promise<MyLeaderboardEntry | null> {
  return repo.myUserStanding(db, campaignId, userId);
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
