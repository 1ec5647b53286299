import { and, eq, inArray } from 'drizzle-orm';
import { preparedRows, type Db, type Executor } from '../../db/client.js';
import { dailyLikeCounts, likes, teamMembers } from '../../db/schema/index.js';

type Direction = 'given' | 'received';

export async function countOn(
  ex: Executor,
  k: { campaignId: string; userId: string; day: string; direction: Direction },
): Promise<number> {
  const [row] = await ex
    .select({ count: dailyLikeCounts.count })
    .from(dailyLikeCounts)
    .where(
      and(
        eq(dailyLikeCounts.campaignId, k.campaignId),
        eq(dailyLikeCounts.userId, k.userId),
        eq(dailyLikeCounts.day, k.day),
        eq(dailyLikeCounts.direction, k.direction),
      ),
    );
  return row?.count ?? 0;
}

export async function hasLiked(ex: Executor, k: { campaignId: string; likerId: string; sharerId: string; day: string }): Promise<boolean> {
  const [row] = await ex
    .select({ id: likes.id })
    .from(likes)
    .where(and(eq(likes.campaignId, k.campaignId), eq(likes.likerId, k.likerId), eq(likes.sharerId, k.sharerId), eq(likes.day, k.day)));
  return row !== undefined;
}

/** The liker's and the sharer's team in the campaign, for the landing's teammate check. */
export async function teamIdsOf(
  ex: Executor,
  k: { campaignId: string; likerId: string; sharerId: string },
): Promise<{ likerTeamId: string | null; sharerTeamId: string | null }> {
  const found = await ex
    .select({ userId: teamMembers.userId, teamId: teamMembers.teamId })
    .from(teamMembers)
    .where(and(eq(teamMembers.campaignId, k.campaignId), inArray(teamMembers.userId, [k.likerId, k.sharerId])));
  const teamOf = (id: string) => found.find((r) => r.userId === id)?.teamId ?? null;
  return { likerTeamId: teamOf(k.likerId), sharerTeamId: teamOf(k.sharerId) };
}

/** What the like statement answers: the totals, a stored answer to replay, or a refusal's code. */
export type LikeStatementResult =
  | { outcome: 'liked'; energy: number; newLiker: boolean; sharerEnergy: number; teamEnergy: number | null }
  | { outcome: 'replayed'; status: number; body: unknown }
  | { outcome: 'refused'; code: string };

const LIKE_SHARE = 'select * from like_share($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)';

/**
 * The like as one statement: `like_share` (drizzle/*_like_statement_sql.sql) claims the
 * Idempotency-Key, checks every guard, bumps both daily counters, marks the first like, writes the
 * like and its ledger row and moves both balances, or raises JZ001 with the refusal's code and
 * rolls all of it back. One round trip, so row locks are held only for one statement and commit.
 * The one place a repository writes other modules' tables (ledger, participants, teams, users'
 * first-like mark, idempotency keys): a single statement is what keeps them exact and short.
 */
export async function likeShare(
  db: Db,
  v: {
    campaignId: string;
    rulesVersion: number;
    shareId: string;
    sharerId: string;
    likerId: string;
    day: string;
    at: Date;
    dailyCap: number;
    sharerCap: number | null;
    teammatesAllowed: boolean;
    likeEnergy: number;
    newLikerEnergy: number;
    idempotencyKey: string | null;
    fingerprint: string;
  },
): Promise<LikeStatementResult> {
  type Row = {
    outcome: 'liked' | 'replayed';
    energy: number | null;
    new_liker: boolean | null;
    sharer_energy: number | string | null;
    team_energy: number | string | null;
    replay_status: number | null;
    replay_body: unknown;
  };
  let row: Row | undefined;
  try {
    [row] = await preparedRows<Row>(db, 'like_share', LIKE_SHARE, [
      v.campaignId, v.rulesVersion, v.shareId, v.sharerId, v.likerId, v.day, v.at.toISOString(),
      v.dailyCap, v.sharerCap, v.teammatesAllowed, v.likeEnergy, v.newLikerEnergy, v.idempotencyKey, v.fingerprint,
    ]);
  } catch (err) {
    if ((err as { code?: string }).code === 'JZ001') return { outcome: 'refused', code: (err as Error).message };
    throw err;
  }
  if (!row) throw new Error('like_share answered no row');
  if (row.outcome === 'replayed') return { outcome: 'replayed', status: Number(row.replay_status), body: row.replay_body };
  return {
    outcome: 'liked',
    energy: Number(row.energy),
    newLiker: Boolean(row.new_liker),
    sharerEnergy: Number(row.sharer_energy),
    teamEnergy: row.team_energy === null ? null : Number(row.team_energy),
  };
}
