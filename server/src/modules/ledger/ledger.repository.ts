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
    .leftJoin(users, eq(users.id, sql`coalesce(${likes.likerId}, ${energyLedger.joinerId})`))
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

/**
 * Credits a sharer for a friend's paid join of a group buy through their card: the ledger row and
 * both balances (the sharer's, and their team's if they have one) in one statement, each move
 * conditional on the ledger row being new. The partial unique index on (group, joiner) makes it
 * once per friend per group, however often the payment is notified. Shaped like the like statement (`like_share`).
 * Returns the energy credited, or null when this friend was already counted for this group.
 */
export async function creditGroupJoin(
  ex: Executor,
  v: { campaignId: string; sharerId: string; groupId: string; joinerId: string; energy: number; at: Date },
): Promise<number | null> {
  const [row] = await rows<{ amount: number | null }>(
    ex,
    sql`
      with tm as (
        select team_id from team_members where campaign_id = ${v.campaignId} and user_id = ${v.sharerId}
      ), le as (
        insert into energy_ledger (campaign_id, user_id, team_id, amount, reason, group_id, joiner_id, created_at)
        values (${v.campaignId}, ${v.sharerId}, (select team_id from tm), ${v.energy}, 'group_join', ${v.groupId}, ${v.joinerId}, ${v.at})
        on conflict (group_id, joiner_id) where reason = 'group_join' do nothing
        returning amount, team_id
      ), p as (
        insert into participants (campaign_id, user_id, energy)
        select ${v.campaignId}, ${v.sharerId}, le.amount from le
        on conflict (campaign_id, user_id) do update set energy = participants.energy + excluded.energy
        returning energy
      ), t as (
        update teams set energy = teams.energy + le.amount
        from le where teams.id = le.team_id
        returning teams.energy
      )
      select (select amount from le) as amount, (select count(*) from p) as p, (select count(*) from t) as t`,
  );
  return row?.amount === null || row?.amount === undefined ? null : Number(row.amount);
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
