import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';
import { energyLedger, likes, users } from '../../db/schema/index.js';

export async function pageForUser(
  ex: Executor,
  q: { campaignId: string; userId: string; beforeId: number | null; limit: number },
) {
  return ex
    .select({
      id: energyLedger.id,
      amount: energyLedger.amount,
      reason: energyLedger.reason,
      createdAt: energyLedger.createdAt,
      fromId: users.id,
      fromNickname: users.nickname,
      fromAvatarUrl: users.avatarUrl,
    })
    .from(energyLedger)
    .leftJoin(likes, eq(likes.id, energyLedger.likeId))
    .leftJoin(users, eq(users.id, likes.likerId))
    .where(
      and(
        eq(energyLedger.campaignId, q.campaignId),
        eq(energyLedger.userId, q.userId),
        q.beforeId === null ? undefined : lt(energyLedger.id, q.beforeId),
      ),
    )
    .orderBy(desc(energyLedger.id))
    .limit(q.limit);
}

export interface Drift {
  kind: 'participant' | 'team';
  id: string;
  campaignId: string;
  balance: number;
  ledger: number;
}

/** Every kept balance whose value differs from its ledger sum; empty when the books agree. */
export async function findDrift(ex: Executor): Promise<Drift[]> {
  const found = await rows<{ kind: 'participant' | 'team'; id: string; campaign_id: string; balance: number; ledger: number }>(
    ex,
    sql`
      select 'participant' as kind, p.user_id::text as id, p.campaign_id::text as campaign_id,
             p.energy as balance, coalesce(l.total, 0) as ledger
      from participants p
      left join (select campaign_id, user_id, sum(amount) as total from energy_ledger group by 1, 2) l
        on l.campaign_id = p.campaign_id and l.user_id = p.user_id
      where p.energy <> coalesce(l.total, 0)
      union all
      select 'participant', l.user_id::text, l.campaign_id::text, 0, l.total
      from (select campaign_id, user_id, sum(amount) as total from energy_ledger group by 1, 2) l
      where not exists (select 1 from participants p where p.campaign_id = l.campaign_id and p.user_id = l.user_id)
      union all
      select 'team', t.id::text, t.campaign_id::text, t.energy, coalesce(l.total, 0)
      from teams t
      left join (select team_id, sum(amount) as total from energy_ledger where team_id is not null group by 1) l
        on l.team_id = t.id
      where t.energy <> coalesce(l.total, 0)`,
  );
  return found.map((r) => ({ kind: r.kind, id: r.id, campaignId: r.campaign_id, balance: Number(r.balance), ledger: Number(r.ledger) }));
}

/** Each member's energy on their team in the campaign, summed from the ledger rows themselves. */
export async function teamContributions(ex: Executor, campaignId: string): Promise<{ teamId: string; userId: string; energy: number }[]> {
  const found = await ex
    .select({ teamId: energyLedger.teamId, userId: energyLedger.userId, energy: sql<number>`sum(${energyLedger.amount})` })
    .from(energyLedger)
    .where(and(eq(energyLedger.campaignId, campaignId), sql`${energyLedger.teamId} is not null`))
    .groupBy(energyLedger.teamId, energyLedger.userId);
  return found.map((r) => ({ teamId: r.teamId!, userId: r.userId, energy: Number(r.energy) }));
}
