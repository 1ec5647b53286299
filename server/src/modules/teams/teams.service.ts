import { LIMITS } from '@jizan/shared/constants';
import type { JoinBlocker, LeaderboardEntry, MyLeaderboardEntry, Team, TeamSummary } from '@jizan/shared';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { iso } from '../../lib/time.js';
import { isLive } from '../campaigns/campaign-rules.js';
import { ensureParticipant, requireCampaign, requireLiveCampaign, type Campaign } from '../campaigns/campaigns.service.js';
import { runOnce, type Idempotency, type Outcome } from '../idempotency/idempotency.service.js';
import { screenText, type ContentCheckSettings } from '../../lib/content-check.js';
import { requireName } from '../../lib/names.js';
import { contentRefused, openidOf, requireUser } from '../users/users.service.js';
import { joinBlockedBy, seatsLeft, teamSummary } from './team-rules.js';
import * as repo from './teams.repository.js';

export interface TeamDeps {
  db: Db;
  clock: Clock;
  /** The chat platform's check of the team name strangers see. */
  content: ContentCheckSettings;
}

/** One team per user per campaign: refused wherever a second one would start. */
function alreadyInTeam(details?: { teamId: string }): AppError {
  return new AppError('ALREADY_IN_TEAM', 'You already have a team in this campaign', details);
}

async function requireTeam(ex: Executor, teamId: string): Promise<repo.TeamRow> {
  const team = await repo.findById(ex, teamId);
  if (!team) throw new AppError('TEAM_NOT_FOUND', 'No such team');
  return team;
}

async function presentTeam(ex: Executor, team: repo.TeamRow, campaign: Campaign): Promise<Team> {
  const [members, rank] = await Promise.all([repo.membersOf(ex, team.id), repo.rankOf(ex, team)]);
  const limit = campaign.rules.teamSizeLimit;
  return {
    id: team.id,
    campaignId: team.campaignId,
    name: team.name,
    namePending: team.pendingName !== null,
    captainId: team.captainId,
    energy: team.energy,
    rank,
    maxMembers: limit,
    seatsLeft: seatsLeft(team.memberCount, limit),
    // A member is a user with a role: the user's id is the member's `id`, as in every user shape.
    members: members.map(({ userId, joinedAt, ...m }) => ({ id: userId, ...m, joinedAt: iso(joinedAt) })),
    createdAt: iso(team.createdAt),
  };
}

export async function getTeam(deps: { db: Executor }, teamId: string): Promise<Team> {
  const team = await requireTeam(deps.db, teamId);
  const campaign = await requireCampaign(deps.db, team.campaignId);
  return presentTeam(deps.db, team, campaign);
}

/** The user's team in the campaign at a glance, or null while they have none. */
export async function teamSummaryOf(ex: Executor, campaign: Campaign, userId: string): Promise<TeamSummary | null> {
  const team = await repo.findTeamOf(ex, campaign.id, userId);
  return team ? teamSummary(team, campaign.rules.teamSizeLimit) : null;
}

/**
 * Why the viewer could not join `team` (the sharer's, null when they have none) right now;
 * null: they can. The same rules as `joinTeam`, from the viewer's team as the caller read it
 * (without a lock: the landing reads it with everything else it shows).
 */
export function joinBlockerFrom(
  campaign: Campaign,
  viewerId: string | null,
  viewerTeamId: string | null,
  team: TeamSummary | null,
  now: Date,
): JoinBlocker | null {
  return joinBlockedBy({
    authenticated: viewerId !== null,
    campaignLive: isLive(campaign, now),
    team,
    viewerTeamId,
    teamSizeLimit: campaign.rules.teamSizeLimit,
  });
}

/** A team as a card or a page shows it at a glance (seats from the campaign's team size). */
export function teamSummaryFrom(campaign: Campaign, team: { id: string; name: string; energy: number; memberCount: number }): TeamSummary {
  return teamSummary(team, campaign.rules.teamSizeLimit);
}

/** The campaign's top teams by energy (ties share a rank). */
export function topTeams(ex: Executor, campaignId: string, limit: number): Promise<LeaderboardEntry[]> {
  return repo.topTeams(ex, campaignId, limit);
}

/** The user's team with its rank on the team board and the gap to the team above, or null while they have none. */
export function teamStandingOf(db: Db, campaignId: string, userId: string): Promise<MyLeaderboardEntry | null> {
  return repo.myTeamStanding(db, campaignId, userId);
}

export interface CreateTeamRequest {
  campaignId: string;
  userId: string;
  name: string;
  idempotency: Idempotency;
}

/** A team's name while the one its captain chose waits for the check: their own public name's. */
function standInName(captainNickname: string): string {
  return `${captainNickname}的队伍`.slice(0, LIMITS.teamNameMaxLength);
}

/**
 * The captain founds the team and takes its first seat, in one idempotent transaction. The name
 * is checked first, outside the transaction and within the check's deadline: a refused name
 * answers CONTENT_REFUSED; one the platform could not judge founds the team under a stand-in
 * name and waits as `pendingName` for the `content-recheck` job.
 */
export async function createTeam(deps: TeamDeps, req: CreateTeamRequest): Promise<Outcome<Team>> {
  const name = requireName('name', req.name, LIMITS.teamNameMaxLength);
  const screening = await screenText(deps.content, { openid: await openidOf(deps.db, req.userId), content: name });
  if (screening.verdict === 'refused') throw contentRefused('name', screening.label);
  // The captain's row is read again only for the rare held name, not on every founding.
  const names =
    screening.verdict === 'held'
      ? { name: standInName((await requireUser(deps.db, req.userId)).nickname), pendingName: name }
      : { name, pendingName: null };
  return runOnce(deps, { userId: req.userId, ...req.idempotency, statusCode: 201 }, (tx) => foundTeam(deps, { ...req, ...names }, tx));
}

/** One team per user per campaign: checked first for a clear answer, enforced by the unique index. */
async function foundTeam(
  deps: TeamDeps,
  input: { campaignId: string; userId: string; name: string; pendingName: string | null },
  tx: Executor,
): Promise<Team> {
  const now = deps.clock.now();
  const campaign = await requireLiveCampaign(tx, input.campaignId, now);
  if (await repo.findTeamOf(tx, campaign.id, input.userId)) throw alreadyInTeam();
  const team = await repo.insertTeam(tx, { campaignId: campaign.id, captainId: input.userId, name: input.name, pendingName: input.pendingName, at: now });
  const seated = await repo.insertMember(tx, { teamId: team.id, campaignId: campaign.id, userId: input.userId, role: 'captain', at: now });
  // A concurrent create by the same user won the unique index; our transaction rolls back.
  if (!seated) throw alreadyInTeam();
  await ensureParticipant(tx, campaign.id, input.userId);
  return presentTeam(tx, team, campaign);
}

/** Asks again about team names held for the check; answers how many were settled (shown or dropped). */
export async function recheckPendingTeamNames(deps: { db: Executor; content: ContentCheckSettings }, limit = 100): Promise<number> {
  let settled = 0;
  for (const t of await repo.pendingNames(deps.db, limit)) {
    const screening = await screenText(deps.content, { openid: t.openid, content: t.pendingName });
    if (screening.verdict === 'held') continue;
    await repo.settlePendingName(deps.db, { id: t.id, pendingName: t.pendingName, passed: screening.verdict === 'pass' });
    settled++;
  }
  return settled;
}

/**
 * Seats `userId` in `teamId` inside the caller's transaction; the seat guard and the unique index
 * make it exact under a stampede.
 */
export async function joinTeam(
  deps: { clock: Clock },
  input: { teamId: string; userId: string },
  tx: Executor,
): Promise<Team> {
  const found = await requireTeam(tx, input.teamId);
  const now = deps.clock.now();
  const campaign = await requireLiveCampaign(tx, found.campaignId, now);
  const mine = await repo.findTeamOf(tx, campaign.id, input.userId);
  if (mine) {
    if (mine.id === found.id) throw new AppError('ALREADY_IN_TEAM', 'You are already in this team', { teamId: mine.id });
    throw alreadyInTeam({ teamId: mine.id });
  }
  const team = await repo.takeSeat(tx, found.id, campaign.rules.teamSizeLimit);
  if (!team) throw new AppError('TEAM_FULL', 'This team has no seat left');
  const seated = await repo.insertMember(tx, { teamId: team.id, campaignId: campaign.id, userId: input.userId, role: 'member', at: now });
  if (!seated) throw alreadyInTeam();
  await ensureParticipant(tx, campaign.id, input.userId);
  return presentTeam(tx, team, campaign);
}
