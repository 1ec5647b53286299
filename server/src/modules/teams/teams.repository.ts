import { and, asc, count, eq, gt, min, sql } from 'drizzle-orm';
import { rankedRows, type Executor, type RankedRow } from '../../db/client.js';
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
  v: { campaignId: string; captainId: string; name: string; at: Date },
): Promise<TeamRow> {
  const [row] = await ex
    .insert(teams)
    .values({ campaignId: v.campaignId, captainId: v.captainId, name: v.name, createdAt: v.at })
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
 * (1, 2, 2, 4). `rankOf` and `topTeams` are the only places that compute it.
 */
export async function rankOf(ex: Executor, team: Pick<TeamRow, 'campaignId' | 'energy'>): Promise<number> {
  const [row] = await ex
    .select({ ahead: count() })
    .from(teams)
    .where(and(eq(teams.campaignId, team.campaignId), gt(teams.energy, team.energy)));
  return 1 + Number(row?.ahead ?? 0);
}

/** Energy the team still needs to reach the nearest team above it (and share its rank); null when first. */
export async function gapAbove(ex: Executor, team: Pick<TeamRow, 'campaignId' | 'energy'>): Promise<number | null> {
  const [row] = await ex
    .select({ above: min(teams.energy) })
    .from(teams)
    .where(and(eq(teams.campaignId, team.campaignId), gt(teams.energy, team.energy)));
  return row?.above === null || row?.above === undefined ? null : Number(row.above) - team.energy;
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

export async function captainAvatar(ex: Executor, team: Pick<TeamRow, 'captainId'>): Promise<string | null> {
  const [row] = await ex.select({ avatarUrl: users.avatarUrl }).from(users).where(eq(users.id, team.captainId));
  return row?.avatarUrl ?? null;
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
