import { and, countDistinct, desc, eq, max, sql } from 'drizzle-orm';
import { poolSizeOf, preparedRows, rows, type Db, type Executor } from '../../db/client.js';
import { Batcher } from '../../lib/batcher.js';
import { likes, users } from '../../db/schema/index.js';
import { num } from '../../lib/num.js';
import type { Idempotency } from '../idempotency/idempotency.service.js';

/** What the like statement answers: the totals, a stored answer to replay, or a refusal's code. */
export type LikeStatementResult =
  | { outcome: 'liked'; energy: number; newLiker: boolean; sharerEnergy: number; teamEnergy: number | null }
  | { outcome: 'replayed'; status: number; body: unknown }
  | { outcome: 'refused'; code: string };

/** One like for the like statement (see `likeRequest` in the service). */
export interface LikeRequest {
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
}

/**
 * The like as one statement, several likes to a call: `like_shares` (drizzle/0017_like_batches.sql,
 * set-based since 0018) takes the likes that arrived together, claims their Idempotency-Keys, locks
 * the rows they touch class by class in key order, reads every guard's facts for the lot, decides
 * each like in arrival order (refused with its code, or credited), then writes the first-like
 * marks, the likes with their ledger rows and both daily counters a statement per table; the
 * balances are moved last, once per row. One round trip and one commit for the lot. The one place
 * a repository writes other modules' tables (ledger, participants, teams, users' first-like mark,
 * idempotency keys): a single statement is what keeps them exact and short.
 */
export function likeShare(db: Db, like: LikeRequest): Promise<LikeStatementResult> {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = new Batcher((likes: LikeRequest[]) => likeShares(db, likes), {
      maxBatch: LIKE_BATCH_MAX,
      maxInFlight: Math.max(1, Math.min(LIKE_BATCHES_IN_FLIGHT, Math.floor(poolSizeOf(db) / 2))),
      // One key twice in one call would be refused as reused; the second waits and replays instead.
      conflicts: (a, b) => a.idempotency.key !== null && a.likerId === b.likerId && a.idempotency.key === b.idempotency.key,
    });
    batchers.set(db, batcher);
  }
  return batcher.submit(like);
}

/** Likes per call: enough to share one commit widely, few enough that one call stays short. */
const LIKE_BATCH_MAX = 32;

/**
 * Calls under way at once: two, so one batch runs while the other commits; and half the pool at
 * most, so reads are never all queued behind likes. More calls in flight only cut the same likes
 * into smaller batches, and a call's fixed cost is most of a small batch's (bench-results/README.md,
 * "Where a like's time goes").
 */
const LIKE_BATCHES_IN_FLIGHT = 2;

const batchers = new WeakMap<Db, Batcher<LikeRequest, LikeStatementResult>>();

/** The argument of `like_shares`: the likes as a JSON array, each with its place in the batch (`n`). */
export function likePayload(likes: readonly LikeRequest[]): string {
  return JSON.stringify(
    likes.map((v, n) => ({
      n,
      campaign_id: v.campaignId,
      rules_version: v.rulesVersion,
      share_id: v.shareId,
      sharer_id: v.sharerId,
      liker_id: v.likerId,
      day: v.day,
      at: v.at.toISOString(),
      daily_cap: v.dailyCap,
      sharer_cap: v.sharerCap,
      teammates_allowed: v.teammatesAllowed,
      like_energy: v.likeEnergy,
      new_liker_energy: v.newLikerEnergy,
      idempotency_key: v.idempotency.key,
      fingerprint: v.idempotency.fingerprint,
    })),
  );
}

/** Several likes in one call of `like_shares`, answered in the order given (`likeShare` gathers them). */
export async function likeShares(db: Db, likes: LikeRequest[]): Promise<LikeStatementResult[]> {
  type Row = {
    n: number;
    outcome: 'liked' | 'replayed' | 'refused';
    code: string | null;
    energy: number | null;
    new_liker: boolean | null;
    sharer_energy: number | string | null;
    team_energy: number | string | null;
    replay_status: number | null;
    replay_body: unknown;
  };
  const found = await preparedRows<Row>(db, 'like_shares', 'select * from like_shares($1)', [likePayload(likes)]);
  const byN = new Map(found.map((row) => [Number(row.n), row]));
  return likes.map((_, n) => {
    const row = byN.get(n);
    if (!row) throw new Error(`like_shares answered no row for like ${n}`);
    if (row.outcome === 'refused') return { outcome: 'refused', code: String(row.code) };
    if (row.outcome === 'replayed') return { outcome: 'replayed', status: Number(row.replay_status), body: row.replay_body };
    return {
      outcome: 'liked',
      energy: Number(row.energy),
      newLiker: Boolean(row.new_liker),
      sharerEnergy: Number(row.sharer_energy),
      teamEnergy: row.team_energy === null ? null : Number(row.team_energy),
    };
  });
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
  // The balances it will lower, locked first in the like batches' order (sharers, then teams,
  // each by key): the update below would take them in whatever order it meets them, and a batch
  // of likes holding one of them while waiting for another would deadlock with it.
  const given = sql`from likes k where k.liker_id = ${v.likerId} ${v.campaignId ? sql`and k.campaign_id = ${v.campaignId}` : sql``}`;
  await ex.execute(sql`
    select 1 from participants p where (p.campaign_id, p.user_id) in (select k.campaign_id, k.sharer_id ${given})
    order by p.campaign_id, p.user_id for no key update`);
  await ex.execute(sql`select 1 from teams t where t.id in (select k.team_id ${given}) order by t.id for no key update`);
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
  return { likes: num(row?.likes), energy: num(row?.energy), credited: textArray(row?.credited) };
}

/** node-postgres parses a text[] into an array; a driver may also hand back its literal (`{a,b}`). */
function textArray(v: string[] | string | null | undefined): string[] {
  if (Array.isArray(v)) return v;
  if (typeof v !== 'string' || v === '{}' || v === '') return [];
  return v.slice(1, -1).split(',').map((x) => x.replace(/^"|"$/g, ''));
}
