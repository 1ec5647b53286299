import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import { preparedRows, rankedRows, rows, toRankedRow, type Db, type Executor, type RankedRow, type RawRankedRow } from '../../db/client.js';
import { energyLedger, teamMembers, teams, users } from '../../db/schema/index.js';

export type TeamRow = typeof teams.$inferSelect;

export async function findById(ex: Executor, id: string): Promise<TeamRow | undefined> {
  const [row] = await ex.select().from(teams).where(eq(teams.id, id));
  return row;
}

/** The user's team in a campaign (at most one, by the unique index). */
export async function findTeamOf(ex: Executor, campaignId: string, userId: string): Promise<TeamRow | undefined> {
  const [row] = await ex
    .select({ team: teams })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(and(eq(teamMembers.campaignId, campaignId), eq(teamMembers.userId, userId)));
  return row?.team;
}

export async function insertTeam(
  ex: Executor,
  v: { campaignId: string; captainId: string; name: string; pendingName: string | null; at: Date },
): Promise<TeamRow> {
  const [row] = await ex
    .insert(teams)
    .values({ campaignId: v.campaignId, captainId: v.captainId, name: v.name, pendingName: v.pendingName, createdAt: v.at })
    .returning();
  return row!;
}

/** False when the user already has a team in the campaign. */
export async function insertMember(
  ex: Executor,
  v: { teamId: string; campaignId: string; userId: string; role: 'captain' | 'member'; at: Date },
): Promise<boolean> {
  const rows = await ex
    .insert(teamMembers)
    .values({ teamId: v.teamId, campaignId: v.campaignId, userId: v.userId, role: v.role, joinedAt: v.at })
    .onConflictDoNothing()
    .returning({ userId: teamMembers.userId });
  return rows.length === 1;
}

/**
 * Takes a seat if one is left. The row lock this UPDATE takes serialises joiners of one team, and
 * the WHERE is re-checked after the lock, so a team never holds more than `limit`.
 */
export async function takeSeat(ex: Executor, teamId: string, limit: number): Promise<TeamRow | undefined> {
  const [row] = await ex
    .update(teams)
    .set({ memberCount: sql`${teams.memberCount} + 1` })
    .where(and(eq(teams.id, teamId), sql`${teams.memberCount} < ${limit}`))
    .returning();
  return row;
}

/**
 * A team's rank is 1 + the number of teams in its campaign with more energy, so ties share a rank
 * (1, 2, 2, 4). `energy_rank` (drizzle/*_energy_histogram_sql.sql: the team histogram, not a count
 * over every team) computes it here and for the board's "me"; `topTeams` ranks its rows by the same rule.
 */
export async function rankOf(ex: Executor, team: Pick<TeamRow, 'campaignId' | 'energy'>): Promise<number> {
  const [row] = await rows<{ rank: unknown }>(ex, sql`select energy_rank(${team.campaignId}, 'team', ${team.energy}) as rank`);
  return Number(row?.rank ?? 1);
}

/**
 * The user's team on the team board, in one statement: its captain's face, its rank and the
 * energy it still needs to reach the nearest team above (null when first). Null without a team.
 */
const MY_TEAM_STANDING = `
  select t.id, t.name, u.avatar_url, t.energy, energy_rank($1, 'team', t.energy) as rank,
         (select min(o.energy) from teams o where o.campaign_id = $1 and o.energy > t.energy) - t.energy as gap
  from team_members m join teams t on t.id = m.team_id join users u on u.id = t.captain_id
  where m.campaign_id = $1 and m.user_id = $2`;

export async function myTeamStanding(db: Db, campaignId: string, userId: string): Promise<(RankedRow & { gapToPrevious: number | null }) | null> {
  const [row] = await preparedRows<RawRankedRow & { gap: unknown }>(db, 'my_team_standing', MY_TEAM_STANDING, [campaignId, userId]);
  return row ? { ...toRankedRow(row), gapToPrevious: row.gap === null ? null : Number(row.gap) } : null;
}

/**
 * The campaign's top teams, each shown by its captain's face; SQL's `rank()` is the same rule as
 * `rankOf`; the id breaks ties in the listing only.
 */
export async function topTeams(ex: Executor, campaignId: string, limit: number): Promise<RankedRow[]> {
  return rankedRows(
    ex,
    // Ranked within the top rows only: everyone ahead of a listed team is listed too, so its rank
    // there is its rank on the whole board, without ranking every team (the index gives the top).
    sql`select top.id, top.name, u.avatar_url, top.energy, rank() over (order by top.energy desc) as rank
        from (select id, name, captain_id, energy from teams where campaign_id = ${campaignId}
              order by energy desc, id limit ${limit}) top
        join users u on u.id = top.captain_id
        order by top.energy desc, top.id`,
  );
}

export interface MemberRow {
  userId: string;
  nickname: string;
  avatarUrl: string | null;
  role: 'captain' | 'member';
  joinedAt: Date;
  energy: number;
}

/** Members with the energy each brought to this team, summed from the ledger so it cannot drift. */
export async function membersOf(ex: Executor, teamId: string): Promise<MemberRow[]> {
  const contributed = ex
    .select({ userId: energyLedger.userId, energy: sql<number>`sum(${energyLedger.amount})`.as('energy') })
    .from(energyLedger)
    .where(eq(energyLedger.teamId, teamId))
    .groupBy(energyLedger.userId)
    .as('contributed');
  const rows = await ex
    .select({
      userId: teamMembers.userId,
      nickname: users.nickname,
      avatarUrl: users.avatarUrl,
      role: teamMembers.role,
      joinedAt: teamMembers.joinedAt,
      energy: sql<number>`coalesce(${contributed.energy}, 0)`,
    })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .leftJoin(contributed, eq(contributed.userId, teamMembers.userId))
    .where(eq(teamMembers.teamId, teamId))
    .orderBy(sql`${teamMembers.role} <> 'captain'`, asc(teamMembers.joinedAt), asc(teamMembers.userId));
  return rows.map((r) => ({ ...r, energy: Number(r.energy) }));
}

/** Teams whose chosen name waits for a check, with their captain's openid (the check asks in the captain's name). */
export async function pendingNames(ex: Executor, limit: number): Promise<{ id: string; pendingName: string; openid: string }[]> {
  const found = await ex
    .select({ id: teams.id, pendingName: teams.pendingName, openid: users.openid })
    .from(teams)
    .innerJoin(users, eq(users.id, teams.captainId))
    .where(isNotNull(teams.pendingName))
    .orderBy(teams.id)
    .limit(limit);
  return found.map((r) => ({ id: r.id, pendingName: r.pendingName!, openid: r.openid }));
}

/** The held name passed (it becomes the name) or was refused (the stand-in stays); only while it is still the one held. */
export async function settlePendingName(ex: Executor, v: { id: string; pendingName: string; passed: boolean }): Promise<void> {
  await ex
    .update(teams)
    .set(v.passed ? { name: v.pendingName, pendingName: null } : { pendingName: null })
    .where(and(eq(teams.id, v.id), eq(teams.pendingName, v.pendingName)));
}
