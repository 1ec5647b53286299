import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';

export interface RankedRow {
  id: string;
  name: string;
  avatarUrl: string | null;
  energy: number;
  rank: number;
}

export interface MyRankedRow extends RankedRow {
  gapToPrevious: number | null;
}

type RawRow = Omit<MyRankedRow, 'avatarUrl'> & { avatar_url: string | null; gap_to_previous?: number | null };

const norm = ({ avatar_url, gap_to_previous, ...r }: RawRow): RankedRow => ({
  ...r,
  avatarUrl: avatar_url,
  energy: Number(r.energy),
  rank: Number(r.rank),
});

const normMine = (r: RawRow): MyRankedRow => ({
  ...norm(r),
  gapToPrevious: r.gap_to_previous === null || r.gap_to_previous === undefined ? null : Number(r.gap_to_previous),
});

/** Top teams, shown by their captain's face; `rank()` gives ties the same rank (1, 2, 2, 4); the id breaks ties in the listing only. */
export async function topTeams(ex: Executor, campaignId: string, limit: number): Promise<RankedRow[]> {
  const out = await rows<RawRow>(
    ex,
    sql`select t.id, t.name, u.avatar_url, t.energy, rank() over (order by t.energy desc) as rank
        from teams t join users u on u.id = t.captain_id
        where t.campaign_id = ${campaignId}
        order by t.energy desc, t.id limit ${limit}`,
  );
  return out.map(norm);
}

export async function topUsers(ex: Executor, campaignId: string, limit: number): Promise<RankedRow[]> {
  const out = await rows<RawRow>(
    ex,
    sql`select p.user_id as id, u.nickname as name, u.avatar_url, p.energy, rank() over (order by p.energy desc) as rank
        from participants p join users u on u.id = p.user_id
        where p.campaign_id = ${campaignId}
        order by p.energy desc, p.user_id limit ${limit}`,
  );
  return out.map(norm);
}

/**
 * The caller's team with the same ranking rule, computed without scanning the whole board, and
 * the gap to the nearest team above (reaching its energy shares its rank).
 */
export async function myTeamRank(ex: Executor, campaignId: string, userId: string): Promise<MyRankedRow | null> {
  const [row] = await rows<RawRow>(
    ex,
    sql`select t.id, t.name, c.avatar_url, t.energy,
               1 + (select count(*) from teams o where o.campaign_id = t.campaign_id and o.energy > t.energy) as rank,
               (select min(o.energy) from teams o where o.campaign_id = t.campaign_id and o.energy > t.energy) - t.energy
                 as gap_to_previous
        from team_members m join teams t on t.id = m.team_id join users c on c.id = t.captain_id
        where m.campaign_id = ${campaignId} and m.user_id = ${userId}`,
  );
  return row ? normMine(row) : null;
}

/** A user who has not earned energy yet still sees where they stand: 0 energy, behind everyone who has. */
export async function myUserRank(ex: Executor, campaignId: string, userId: string): Promise<MyRankedRow | null> {
  const [row] = await rows<RawRow>(
    ex,
    sql`with me as (
          select u.id, u.nickname as name, u.avatar_url, coalesce(p.energy, 0) as energy
          from users u left join participants p on p.user_id = u.id and p.campaign_id = ${campaignId}
          where u.id = ${userId}
        )
        select me.*,
               1 + (select count(*) from participants o where o.campaign_id = ${campaignId} and o.energy > me.energy) as rank,
               (select min(o.energy) from participants o where o.campaign_id = ${campaignId} and o.energy > me.energy) - me.energy
                 as gap_to_previous
        from me`,
  );
  return row ? normMine(row) : null;
}
