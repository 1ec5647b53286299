import { and, eq, gt, min, sql } from 'drizzle-orm';
import { rankedRows, type Executor, type RankedRow } from '../../db/client.js';
import { participants } from '../../db/schema/index.js';

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

/** A user who has not earned energy yet still sees where they stand: 0 energy, behind everyone who has. */
export async function myUserRank(ex: Executor, campaignId: string, userId: string): Promise<RankedRow | null> {
  const [row] = await rankedRows(
    ex,
    sql`select u.id, u.nickname as name, u.avatar_url, coalesce(p.energy, 0) as energy,
               1 + (select count(*) from participants o
                    where o.campaign_id = ${campaignId} and o.energy > coalesce(p.energy, 0)) as rank
        from users u left join participants p on p.user_id = u.id and p.campaign_id = ${campaignId}
        where u.id = ${userId}`,
  );
  return row ?? null;
}

/** Energy a user still needs to reach the nearest participant above them (and share a rank); null when first. */
export async function userGapAbove(ex: Executor, campaignId: string, energy: number): Promise<number | null> {
  const [row] = await ex
    .select({ above: min(participants.energy) })
    .from(participants)
    .where(and(eq(participants.campaignId, campaignId), gt(participants.energy, energy)));
  return row?.above === null || row?.above === undefined ? null : Number(row.above) - energy;
}
