import { sql } from 'drizzle-orm';
import { preparedRows, rankedRows, rows, toRankedRow, type Db, type Executor, type RankedRow, type RawRankedRow } from '../../db/client.js';
import { num } from '../../lib/num.js';

/**
 * Top users; ties share a rank (1, 2, 2, 4) as on the team board; the id breaks ties in the listing
 * only. Holders come off the board's partial index (participants_board_idx) in listing order; when
 * fewer than `limit` hold energy, those without follow by id, all ranked just after the holders.
 */
export async function topUsers(ex: Executor, campaignId: string, limit: number): Promise<RankedRow[]> {
  const holders = await rankedRows(
    ex,
    // Ranked within the top rows only: everyone ahead of a listed user is listed too, so the rank
    // there is the rank on the whole board, without a window over every participant.
    sql`select top.user_id as id, u.nickname as name, u.avatar_url, top.energy, rank() over (order by top.energy desc) as rank
        from (select user_id, energy from participants where campaign_id = ${campaignId} and energy > 0
              order by energy desc, user_id limit ${limit}) top
        join users u on u.id = top.user_id
        order by top.energy desc, top.user_id`,
  );
  if (holders.length >= limit) return holders;
  const rest = await emptyHanded(ex, campaignId, 'user', limit - holders.length);
  return [...holders, ...rest.map((r) => ({ ...r, rank: holders.length + 1 }))];
}

export interface UserStandingRow extends RankedRow {
  /** Energy still needed to reach the nearest participant above (and share their rank); null when first. */
  gapToPrevious: number | null;
}

/**
 * The user's row on the user board, in one statement (one snapshot): energy 0 and behind everyone
 * with energy when they have none yet. The rank is `energy_rank` (the histogram: 1 + everyone with
 * more energy, so ties share it); the gap is the next energy above, one step down the board's index
 * (`o.energy > 0` is what lets the generic plan use that partial index: it cannot prove it from $1).
 */
export const MY_USER_STANDING = `
  select u.id, u.nickname as name, u.avatar_url, coalesce(p.energy, 0) as energy,
         energy_rank($1, 'user', coalesce(p.energy, 0)) as rank,
         (select min(o.energy) from participants o where o.campaign_id = $1 and o.energy > 0 and o.energy > coalesce(p.energy, 0))
           - coalesce(p.energy, 0) as gap
  from users u left join participants p on p.campaign_id = $1 and p.user_id = u.id
  where u.id = $2`;

export async function myUserStanding(db: Db, campaignId: string, userId: string): Promise<UserStandingRow | null> {
  const [row] = await preparedRows<RawRankedRow & { gap: unknown }>(db, 'my_user_standing', MY_USER_STANDING, [campaignId, userId]);
  return row ? { ...toRankedRow(row), gapToPrevious: row.gap === null ? null : Number(row.gap) } : null;
}

/** Folds the pending histogram moves into the histogram (`compact_energy_histogram`); 0 when another instance is at it. */
export async function compactHistogram(ex: Executor): Promise<number> {
  const [row] = await rows<{ moved: unknown }>(ex, sql`select compact_energy_histogram() as moved`);
  return num(row?.moved);
}

export interface HistogramDrift {
  campaignId: string;
  board: 'user' | 'team';
  /** `energy`: one energy value; `bucket`: the 1024 energies from `energy` on (the rank's coarse level). */
  kind: 'energy' | 'bucket';
  energy: number;
  /** Holders by the histogram (its rows plus pending moves), and by the balances. */
  histogram: number;
  balances: number;
}

/**
 * Every (campaign, board, energy), and every bucket of 1024 energies, where the histogram's count
 * (folded rows plus pending moves) differs from the count of balances there; empty when it agrees.
 */
export async function findHistogramDrift(ex: Executor): Promise<HistogramDrift[]> {
  const found = await rows<{ kind: 'energy' | 'bucket'; campaign_id: string; board: 'user' | 'team'; energy: unknown; histogram: unknown; balances: unknown }>(
    ex,
    sql`
      with counted as (
        select campaign_id, 'user'::text as board, energy, count(*) as n from participants where energy > 0 group by 1, 3
        union all
        select campaign_id, 'team', energy, count(*) from teams where energy > 0 group by 1, 3
      ), kept as (
        select campaign_id, board, energy, sum(n) as n from (
          select campaign_id, board, energy, holders as n from energy_histogram
          union all
          select campaign_id, board, energy, delta from energy_histogram_moves
        ) k group by 1, 2, 3
      ), kept_buckets as (
        select campaign_id, board, bucket, sum(n) as n from (
          select campaign_id, board, bucket, holders as n from energy_histogram_buckets
          union all
          select campaign_id, board, energy >> 10, delta from energy_histogram_moves
        ) k group by 1, 2, 3
      ), counted_buckets as (
        select campaign_id, board, energy >> 10 as bucket, sum(n) as n from counted group by 1, 2, 3
      )
      select 'energy' as kind, coalesce(k.campaign_id, c.campaign_id)::text as campaign_id, coalesce(k.board, c.board) as board,
             coalesce(k.energy, c.energy) as energy, coalesce(k.n, 0) as histogram, coalesce(c.n, 0) as balances
      from kept k full join counted c on c.campaign_id = k.campaign_id and c.board = k.board and c.energy = k.energy
      where coalesce(k.n, 0) <> coalesce(c.n, 0)
      union all
      select 'bucket', coalesce(k.campaign_id, c.campaign_id)::text, coalesce(k.board, c.board),
             coalesce(k.bucket, c.bucket) << 10, coalesce(k.n, 0), coalesce(c.n, 0)
      from kept_buckets k full join counted_buckets c on c.campaign_id = k.campaign_id and c.board = k.board and c.bucket = k.bucket
      where coalesce(k.n, 0) <> coalesce(c.n, 0)
      order by 1, 2, 3, 4`,
  );
  return found.map((r) => ({
    campaignId: r.campaign_id,
    board: r.board,
    kind: r.kind,
    energy: Number(r.energy),
    histogram: Number(r.histogram),
    balances: Number(r.balances),
  }));
}

// ---- For a board ranked outside PostgreSQL (Redis): the rows it names, and the balances it follows ----

export type Board = 'user' | 'team';

/** A board's member without its rank: a user, or a team shown by its captain's face. */
export interface BoardRow {
  id: string;
  name: string;
  avatarUrl: string | null;
  energy: number;
}

function toBoardRow(r: { id: string; name: string; avatar_url: string | null; energy: unknown }): BoardRow {
  return { id: r.id, name: r.name, avatarUrl: r.avatar_url ?? null, energy: Number(r.energy) };
}

/** The user as the user board shows them, with their live balance (0 when they never took part); null when no such user. */
export async function userOnBoard(db: Db, campaignId: string, userId: string): Promise<BoardRow | null> {
  const [row] = await preparedRows<RawBoardRow>(db, 'user_on_board', USER_ON_BOARD, [campaignId, userId]);
  return row ? toBoardRow(row) : null;
}

// Named statements (planned once per connection): every board request reads one of these.
const USER_ON_BOARD = `
  select u.id::text, u.nickname as name, u.avatar_url, coalesce(p.energy, 0) as energy
  from users u left join participants p on p.campaign_id = $1 and p.user_id = u.id
  where u.id = $2`;
const TEAM_ON_BOARD = `
  select t.id::text, t.name, u.avatar_url, t.energy
  from team_members m join teams t on t.id = m.team_id join users u on u.id = t.captain_id
  where m.campaign_id = $1 and m.user_id = $2`;
type RawBoardRow = { id: string; name: string; avatar_url: string | null; energy: unknown };

/** The user's team as the team board shows it, with its live balance; null while they have none. */
export async function teamOnBoard(db: Db, campaignId: string, userId: string): Promise<BoardRow | null> {
  const [row] = await preparedRows<RawBoardRow>(db, 'team_on_board', TEAM_ON_BOARD, [campaignId, userId]);
  return row ? toBoardRow(row) : null;
}

/** Names and faces of the given users or teams (energy 0: the caller knows it), in no particular order. */
export async function facesOf(ex: Executor, board: Board, ids: readonly string[]): Promise<BoardRow[]> {
  if (ids.length === 0) return [];
  const list = sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);
  const found = await rows<{ id: string; name: string; avatar_url: string | null; energy: unknown }>(
    ex,
    board === 'user'
      ? sql`select id::text, nickname as name, avatar_url, 0 as energy from users where id in (${list})`
      : sql`select t.id::text, t.name, u.avatar_url, 0 as energy from teams t join users u on u.id = t.captain_id where t.id in (${list})`,
  );
  return found.map(toBoardRow);
}

/**
 * The first `limit` members of a board holding no energy, by id: the PostgreSQL listing shows them
 * after everyone with energy when fewer than a page hold any, and a sorted set keeps only holders.
 */
export async function emptyHanded(ex: Executor, campaignId: string, board: Board, limit: number): Promise<BoardRow[]> {
  if (limit <= 0) return [];
  const found = await rows<{ id: string; name: string; avatar_url: string | null; energy: unknown }>(
    ex,
    board === 'user'
      ? sql`select p.user_id::text as id, u.nickname as name, u.avatar_url, 0 as energy
            from participants p join users u on u.id = p.user_id
            where p.campaign_id = ${campaignId} and p.energy = 0 order by p.user_id limit ${limit}`
      : sql`select t.id::text, t.name, u.avatar_url, 0 as energy
            from teams t join users u on u.id = t.captain_id
            where t.campaign_id = ${campaignId} and t.energy = 0 order by t.id limit ${limit}`,
  );
  return found.map(toBoardRow);
}

/** The team the user sits in within the campaign, or null. */
export async function teamIdOf(ex: Executor, campaignId: string, userId: string): Promise<string | null> {
  const [row] = await rows<{ team_id: string }>(
    ex,
    sql`select team_id::text from team_members where campaign_id = ${campaignId} and user_id = ${userId}`,
  );
  return row?.team_id ?? null;
}

/** One chunk of a board's holders (energy > 0) after `afterId`, by id: keyset pagination for loading a board. */
export async function holdersAfter(ex: Executor, campaignId: string, board: Board, afterId: string | null, limit: number): Promise<{ id: string; energy: number }[]> {
  const after = afterId ?? '00000000-0000-0000-0000-000000000000';
  const found = await rows<{ id: string; energy: unknown }>(
    ex,
    board === 'user'
      ? sql`select user_id::text as id, energy from participants
            where campaign_id = ${campaignId} and user_id > ${after}::uuid and energy > 0 order by user_id limit ${limit}`
      : sql`select id::text, energy from teams
            where campaign_id = ${campaignId} and id > ${after}::uuid and energy > 0 order by id limit ${limit}`,
  );
  return found.map((r) => ({ id: r.id, energy: Number(r.energy) }));
}

/** A balance as a board holds it. */
export interface Balance {
  campaignId: string;
  board: Board;
  id: string;
  energy: number;
}

function toBalances(found: { campaign_id: string; board: Board; id: string; energy: unknown }[]): Balance[] {
  return found.map((r) => ({ campaignId: r.campaign_id, board: r.board, id: r.id, energy: Number(r.energy) }));
}

/** The current balances of these users and of their teams (in one campaign, or every one when null). */
export async function balancesOfUsers(ex: Executor, campaignId: string | null, userIds: readonly string[]): Promise<Balance[]> {
  if (userIds.length === 0) return [];
  const list = sql.join(userIds.map((id) => sql`${id}::uuid`), sql`, `);
  const inCampaign = campaignId === null ? sql`true` : sql`p.campaign_id = ${campaignId}`;
  return toBalances(
    await rows(
      ex,
      sql`with touched as (select campaign_id, user_id, energy from participants p where p.user_id in (${list}) and ${inCampaign})
          select campaign_id::text, 'user' as board, user_id::text as id, energy from touched
          union all
          select t.campaign_id::text, 'team', t.id::text, t.energy
          from team_members m join teams t on t.id = m.team_id
          where (m.campaign_id, m.user_id) in (select campaign_id, user_id from touched)`,
    ),
  );
}

/** The highest ledger id committed so far (0 when empty). */
export async function lastLedgerId(ex: Executor): Promise<number> {
  const [row] = await rows<{ id: unknown }>(ex, sql`select coalesce(max(id), 0) as id from energy_ledger`);
  return num(row?.id);
}

/**
 * The current balances of every user and team with a ledger row in (fromId, uptoId] (one
 * campaign's, or all when null): whatever moved there, read afresh, so applying it is idempotent.
 */
export async function balancesMovedBetween(ex: Executor, fromId: number, uptoId: number, campaignId: string | null = null): Promise<Balance[]> {
  const inCampaign = campaignId === null ? sql`true` : sql`campaign_id = ${campaignId}`;
  return toBalances(
    await rows(
      ex,
      sql`with moved as materialized (
            select distinct campaign_id, user_id, team_id from energy_ledger where id > ${fromId} and id <= ${uptoId} and ${inCampaign}
          )
          select p.campaign_id::text, 'user' as board, p.user_id::text as id, p.energy
          from participants p where (p.campaign_id, p.user_id) in (select campaign_id, user_id from moved)
          union all
          select t.campaign_id::text, 'team', t.id::text, t.energy
          from teams t where t.id in (select team_id from moved where team_id is not null)`,
    ),
  );
}
