import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';
import { energyLedger, likes, users } from '../../db/schema/index.js';
import { num } from '../../lib/num.js';

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

export interface GroupJoinCredit {
  campaignId: string;
  sharerId: string;
  groupId: string;
  joinerId: string;
  energy: number;
  at: Date;
}

/**
 * Credits a sharer for a friend's paid join of a group buy through their card: the ledger row and
 * both balances (the sharer's, and their team's if they have one) in one statement, each move
 * conditional on the ledger row being new. The partial unique index on (group, joiner) makes it
 * once per friend per group, however often the payment is notified. Shaped like the like statement (`like_shares`).
 * Returns the energy credited, or null when this friend was already counted for this group.
 */
export async function creditGroupJoin(ex: Executor, v: GroupJoinCredit): Promise<number | null> {
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

/**
 * Every kept balance whose value differs from its ledger sum (in one campaign, or in all), from
 * the rows summed in full in one pass (grouping sets); empty when the books agree. Sums with no
 * balance row are drift too.
 */
export async function findDrift(ex: Executor, opts: { campaignId?: string } = {}): Promise<Drift[]> {
  const of = (alias: 'l' | 'p' | 't') => (opts.campaignId ? sql`${sql.raw(alias)}.campaign_id = ${opts.campaignId}` : sql`true`);
  const found = await rows<{ kind: 'participant' | 'team'; id: string; campaign_id: string; balance: number; ledger: number }>(
    ex,
    sql`
      with sums as materialized (
        select l.campaign_id, l.user_id, l.team_id, grouping(l.user_id) as by_team, sum(l.amount) as total
        from energy_ledger l where ${of('l')}
        group by grouping sets ((l.campaign_id, l.user_id), (l.team_id))
      )
      select 'participant' as kind, p.user_id::text as id, p.campaign_id::text as campaign_id,
             p.energy as balance, coalesce(s.total, 0) as ledger
      from participants p left join sums s on s.by_team = 0 and s.campaign_id = p.campaign_id and s.user_id = p.user_id
      where ${of('p')} and p.energy <> coalesce(s.total, 0)
      union all
      select 'participant', s.user_id::text, s.campaign_id::text, 0, s.total
      from sums s
      where s.by_team = 0 and not exists (select 1 from participants p where p.campaign_id = s.campaign_id and p.user_id = s.user_id)
      union all
      select 'team', t.id::text, t.campaign_id::text, t.energy, coalesce(s.total, 0)
      from teams t left join sums s on s.by_team = 1 and s.team_id = t.id
      where ${of('t')} and t.energy <> coalesce(s.total, 0)`,
  );
  return found.map((r) => ({ kind: r.kind, id: r.id, campaignId: r.campaign_id, balance: Number(r.balance), ledger: Number(r.ledger) }));
}

export interface CampaignLedgerAudit {
  participants: number;
  teams: number;
  energyBalances: number;
  energyLedger: number;
  teamBalances: number;
  drift: Drift[];
}

/** Ledger ids folded into `ledger_sums` per job run at most, so one run's transaction stays short. */
export const LEDGER_SUMS_BATCH = 200_000;

/**
 * One step of the `ledger-sums` job, in the caller's transaction (which holds the horizon row, so
 * runs in several instances take turns). Rows with ids in (folded_upto, pending_upto] are added to
 * their user's and team's sums once every transaction that was running when pending_upto was seen
 * has ended: ids come from a sequence, so a row below an id already visible can only belong to such
 * a transaction, and once they are all over no row can appear below pending_upto any more. Then the
 * highest id now visible becomes the next pending_upto. Answers the rows' ids folded.
 */
export async function foldLedgerSums(ex: Executor): Promise<number> {
  await ex.execute(sql`insert into ledger_sums_horizon (id) values (1) on conflict do nothing`);
  const [h] = await rows<{ folded_upto: number; pending_upto: number | null; pending_xmax: number | null; xmin: number }>(
    ex,
    sql`select folded_upto, pending_upto, pending_xmax, (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint as xmin
        from ledger_sums_horizon where id = 1 for update`,
  );
  const folded = Number(h!.folded_upto);
  const pending = h!.pending_upto === null ? null : Number(h!.pending_upto);
  // One statement, one snapshot: the highest id it sees, and the first transaction id it did not.
  const nextHorizon = sql`pending_upto = (select max(id) from energy_ledger),
                          pending_xmax = (pg_snapshot_xmax(pg_current_snapshot())::text)::bigint`;
  if (pending === null || pending <= folded) {
    await ex.execute(sql`update ledger_sums_horizon set ${nextHorizon} where id = 1`);
    return 0;
  }
  if (Number(h!.xmin) < Number(h!.pending_xmax)) return 0; // a transaction that may still commit an id ≤ pending_upto is running
  const upto = Math.min(pending, folded + LEDGER_SUMS_BATCH);
  await ex.execute(sql`
    insert into ledger_sums (campaign_id, subject_kind, subject_id, total)
    select campaign_id, case when grouping(user_id) = 0 then 'user' else 'team' end, coalesce(user_id, team_id), sum(amount)
    from energy_ledger where id > ${folded} and id <= ${upto}
    group by grouping sets ((campaign_id, user_id), (campaign_id, team_id))
    having grouping(user_id) = 0 or team_id is not null
    on conflict (campaign_id, subject_kind, subject_id) do update set total = ledger_sums.total + excluded.total`);
  await ex.execute(
    upto >= pending
      ? sql`update ledger_sums_horizon set folded_upto = ${upto}, ${nextHorizon} where id = 1`
      : sql`update ledger_sums_horizon set folded_upto = ${upto} where id = 1`,
  );
  return upto - folded;
}

/** Suspects checked one by one against their own rows; beyond this many the campaign is summed in full. */
const EXACT_CHECKS_MAX = 200;

/**
 * One campaign's books: every participant's and team's kept balance against its ledger sum, read
 * as `ledger_sums` (the job's sums up to its horizon) plus the campaign's rows past the horizon, so
 * a million rows are never summed on request. A balance that disagrees is then checked against its
 * own rows summed in full (through the index on campaign and user, or team), and only a balance
 * that still disagrees is drift. Ledger sums with no participant row are drift too.
 */
export async function campaignLedgerAudit(ex: Executor, campaignId: string): Promise<CampaignLedgerAudit> {
  const [row] = await rows<{
    participants: number;
    teams: number;
    energy_balances: number;
    energy_ledger: number;
    team_balances: number;
    suspects: { kind: 'participant' | 'team'; id: string; balance: number }[] | string | null;
  }>(
    ex,
    sql`
      with horizon as (select coalesce((select folded_upto from ledger_sums_horizon where id = 1), 0) as upto),
      recent as materialized (
        select user_id, team_id, grouping(user_id) as by_team, sum(amount) as total
        from energy_ledger where campaign_id = ${campaignId} and id > (select upto from horizon)
        group by grouping sets ((user_id), (team_id))
      ),
      -- Each balance beside its sum: a full join, so sums with no balance row show up too.
      users as (
        select coalesce(p.user_id, l.subject_id) as id, p.energy as balance, coalesce(l.total, 0) + coalesce(r.total, 0) as total
        from (select user_id, energy from participants where campaign_id = ${campaignId}) p
        full join (select subject_id, total from ledger_sums where campaign_id = ${campaignId} and subject_kind = 'user') l on l.subject_id = p.user_id
        left join recent r on r.by_team = 0 and r.user_id = coalesce(p.user_id, l.subject_id)
      ),
      team_rows as (
        select coalesce(t.id, l.subject_id) as id, t.energy as balance, coalesce(l.total, 0) + coalesce(r.total, 0) as total
        from (select id, energy from teams where campaign_id = ${campaignId}) t
        full join (select subject_id, total from ledger_sums where campaign_id = ${campaignId} and subject_kind = 'team') l on l.subject_id = t.id
        left join recent r on r.by_team = 1 and r.team_id = coalesce(t.id, l.subject_id)
      ),
      suspects as (
        select 'participant' as kind, id::text as id, coalesce(balance, 0) as balance from users where balance is distinct from total
        union all
        select 'participant', r.user_id::text, 0 from recent r
        where r.by_team = 0
          and not exists (select 1 from participants p where p.campaign_id = ${campaignId} and p.user_id = r.user_id)
          and not exists (select 1 from ledger_sums l where l.campaign_id = ${campaignId} and l.subject_kind = 'user' and l.subject_id = r.user_id)
        union all
        select 'team', id::text, coalesce(balance, 0) from team_rows where balance is distinct from total
      )
      select (select count(*) from participants where campaign_id = ${campaignId})::int as participants,
             (select coalesce(sum(energy), 0) from participants where campaign_id = ${campaignId})::bigint as energy_balances,
             ((select coalesce(sum(total), 0) from ledger_sums where campaign_id = ${campaignId} and subject_kind = 'user')
               + (select coalesce(sum(total), 0) from recent where by_team = 0))::bigint as energy_ledger,
             (select count(*) from teams where campaign_id = ${campaignId})::int as teams,
             (select coalesce(sum(energy), 0) from teams where campaign_id = ${campaignId})::bigint as team_balances,
             (select json_agg(suspects) from suspects) as suspects`,
  );
  const parsed = typeof row?.suspects === 'string' ? (JSON.parse(row.suspects) as unknown) : row?.suspects;
  const suspects = (Array.isArray(parsed) ? parsed : []) as { kind: 'participant' | 'team'; id: string; balance: number }[];
  const drift: Drift[] = [];
  if (suspects.length > EXACT_CHECKS_MAX) {
    // Widespread disagreement (or sums never folded yet): sum the campaign's rows in full, once.
    drift.push(...(await findDrift(ex, { campaignId })));
  } else {
    for (const s of suspects) {
      const [exact] = await rows<{ total: number }>(
        ex,
        s.kind === 'participant'
          ? sql`select coalesce(sum(amount), 0)::bigint as total from energy_ledger where campaign_id = ${campaignId} and user_id = ${s.id}`
          : sql`select coalesce(sum(amount), 0)::bigint as total from energy_ledger where team_id = ${s.id}`,
      );
      const ledger = num(exact?.total);
      if (ledger !== Number(s.balance)) drift.push({ kind: s.kind, id: s.id, campaignId, balance: Number(s.balance), ledger });
    }
  }
  return {
    participants: num(row?.participants),
    teams: num(row?.teams),
    energyBalances: num(row?.energy_balances),
    energyLedger: num(row?.energy_ledger),
    teamBalances: num(row?.team_balances),
    drift,
  };
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
