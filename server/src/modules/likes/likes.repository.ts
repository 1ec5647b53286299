import { and, countDistinct, desc, eq, max, sql } from 'drizzle-orm';
import { preparedRows, rows, type Db, type Executor } from '../../db/client.js';
import { likes, users } from '../../db/schema/index.js';
import type { Idempotency } from '../idempotency/idempotency.service.js';

/** What the like statement answers: the totals, a stored answer to replay, or a refusal's code. */
export type LikeStatementResult =
  | { outcome: 'liked'; energy: number; newLiker: boolean; sharerEnergy: number; teamEnergy: number | null }
  | { outcome: 'replayed'; status: number; body: unknown }
  | { outcome: 'refused'; code: string };

const LIKE_SHARE = 'select * from like_share($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)';

/**
 * The like as one statement: `like_share` (now defined by drizzle/0016_like_statement_cte.sql) claims the
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
    idempotency: Idempotency;
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
      v.dailyCap, v.sharerCap, v.teammatesAllowed, v.likeEnergy, v.newLikerEnergy, v.idempotency.key, v.idempotency.fingerprint,
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

export interface FriendRow {
  id: string;
  nickname: string;
  avatarUrl: string | null;
}

/**
 * Friends on one side of a user's likes in a campaign: `helpers` liked the user, `helped` were
 * liked by the user. Each friend counts once however many days they liked; the latest come first.
 */
export async function friendsOf(
  ex: Executor,
  k: { campaignId: string; userId: string; side: 'helpers' | 'helped'; limit: number },
): Promise<{ count: number; recent: FriendRow[] }> {
  const [self, friend] = k.side === 'helpers' ? [likes.sharerId, likes.likerId] : [likes.likerId, likes.sharerId];
  const where = and(eq(likes.campaignId, k.campaignId), eq(self, k.userId));
  const lastLikedAt = max(likes.createdAt);
  const [counted, recent] = await Promise.all([
    ex.select({ count: countDistinct(friend) }).from(likes).where(where),
    ex
      .select({ id: users.id, nickname: users.nickname, avatarUrl: users.avatarUrl })
      .from(likes)
      .innerJoin(users, eq(users.id, friend))
      .where(where)
      .groupBy(users.id)
      .orderBy(desc(lastLikedAt), users.id)
      .limit(k.limit),
  ]);
  return { count: Number(counted[0]?.count ?? 0), recent };
}

/**
 * Voids every like the liker gave (in one campaign, or in all when null) in one statement: a
 * compensating `like_voided` ledger row per credited row (negative amount, same like and team), and
 * the sharers' and teams' balances reduced by exactly those rows. The partial unique index
 * `energy_ledger_voided_once` makes a like voided twice (two reviews racing) insert nothing the
 * second time, so balances move once. Nothing is deleted: the likes and their rows stay as history.
 */
export async function voidLikesBy(
  ex: Executor,
  v: { likerId: string; campaignId: string | null; at: Date },
): Promise<{ likes: number; energy: number; credited: string[] }> {
  const [row] = await rows<{ likes: number; energy: number; credited: string[] | string | null }>(
    ex,
    sql`
      with voided as (
        insert into energy_ledger (campaign_id, user_id, team_id, amount, reason, like_id, created_at)
        select l.campaign_id, l.user_id, l.team_id, -l.amount, 'like_voided', l.like_id, ${v.at}
        from energy_ledger l join likes k on k.id = l.like_id
        where k.liker_id = ${v.likerId}
          ${v.campaignId ? sql`and k.campaign_id = ${v.campaignId}` : sql``}
          and l.reason in ('like', 'new_liker_like')
        on conflict (like_id, user_id) where reason = 'like_voided' do nothing
        returning campaign_id, user_id, team_id, amount, like_id
      ),
      sharers as (
        update participants p set energy = p.energy + s.total
        from (select campaign_id, user_id, sum(amount) as total from voided group by 1, 2) s
        where p.campaign_id = s.campaign_id and p.user_id = s.user_id
        returning 1
      ),
      team_balances as (
        update teams t set energy = t.energy + s.total
        from (select team_id, sum(amount) as total from voided where team_id is not null group by 1) s
        where t.id = s.team_id
        returning 1
      )
      select count(distinct like_id)::int as likes, coalesce(-sum(amount), 0)::int as energy,
             coalesce(array_agg(distinct user_id::text), '{}') as credited,
             (select count(*) from sharers) + (select count(*) from team_balances) as touched
      from voided`,
  );
  return { likes: Number(row?.likes ?? 0), energy: Number(row?.energy ?? 0), credited: textArray(row?.credited) };
}

/** node-postgres parses a text[] into an array; a driver may also hand back its literal (`{a,b}`). */
function textArray(v: string[] | string | null | undefined): string[] {
  if (Array.isArray(v)) return v;
  if (typeof v !== 'string' || v === '{}' || v === '') return [];
  return v.slice(1, -1).split(',').map((x) => x.replace(/^"|"$/g, ''));
}
