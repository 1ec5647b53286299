import { sql } from 'drizzle-orm';
import { preparedRows, rankedRows, rows, toRankedRow, type Db, type Executor, type RankedRow, type RawRankedRow } from '../../db/client.js';

/** Top users; ties share a rank (1, 2, 2, 4) as on the team board; the id breaks ties in the listing only. */
export async function topUsers(ex: Executor, campaignId: string, limit: number): Promise<RankedRow[]> {
  return rankedRows(
    ex,
    // Ranked within the top rows only: everyone ahead of a listed user is listed too, so the rank
    // there is the rank on the whole board, without a window over every participant.
    sql`select top.user_id as id, u.nickname as name, u.avatar_url, top.energy, rank() over (order by top.energy desc) as rank
        from (select user_id, energy from participants where campaign_id = ${campaignId}
              order by energy desc, user_id limit ${limit}) top
        join users u on u.id = top.user_id
        order by top.energy desc, top.user_id`,
  );
}

export interface UserStandingRow extends RankedRow {
  /** Energy still needed to reach the nearest participant above (and share their rank); null when first. */
  gapToPrevious: number | null;
}

/**
 * The user's row on the user board, in one statement (one snapshot): energy 0 and behind everyone
 * with energy when they have none yet. The rank is `energy_rank` (the histogram: 1 + everyone with
 * more energy, so ties share it); the gap is the next energy above, one step down the board's index.
 */
const MY_USER_STANDING = `
  select u.id, u.nickname as name, u.avatar_url, coalesce(p.energy, 0) as energy,
         energy_rank($1, 'user', coalesce(p.energy, 0)) as rank,
         (select min(o.energy) from participants o where o.campaign_id = $1 and o.energy > coalesce(p.energy, 0))
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
  return Number(row?.moved ?? 0);
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
