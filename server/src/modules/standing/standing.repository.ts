import { preparedRows, type Db } from '../../db/client.js';
import { num } from '../../lib/num.js';

/** The caller's part of the campaign page, as one read join: their balance, today's likes given and their team. */
export interface StandingFacts {
  energy: number;
  likesGivenToday: number;
  team: { id: string; name: string; energy: number; memberCount: number } | null;
}

/**
 * One round trip on a prepared statement (every player opens this page, often): the participant's
 * balance, the liker's daily counter and the membership, each one index probe, in one snapshot.
 */
const STANDING = `
  select coalesce((select p.energy from participants p where p.campaign_id = $1 and p.user_id = $2), 0) as energy,
         coalesce((select d.count from daily_like_counts d
                   where d.campaign_id = $1 and d.user_id = $2 and d.day = $3 and d.direction = 'given'), 0) as given_today,
         t.id as team_id, t.name as team_name, t.energy as team_energy, t.member_count as team_member_count
  from (select 1) as one
  left join team_members m on m.campaign_id = $1 and m.user_id = $2
  left join teams t on t.id = m.team_id`;

export async function standingFacts(db: Db, k: { campaignId: string; userId: string; day: string }): Promise<StandingFacts> {
  type Raw = { energy: unknown; given_today: unknown; team_id: string | null; team_name: string | null; team_energy: unknown; team_member_count: unknown };
  const [r] = await preparedRows<Raw>(db, 'standing_facts', STANDING, [k.campaignId, k.userId, k.day]);
  return {
    energy: num(r?.energy),
    likesGivenToday: num(r?.given_today),
    team: r?.team_id
      ? { id: r.team_id, name: r.team_name ?? '', energy: Number(r.team_energy), memberCount: Number(r.team_member_count) }
      : null,
  };
}
