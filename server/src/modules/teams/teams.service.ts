import type { Team } from '@jizan/shared';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { iso } from '../../lib/time.js';
import { assertLive } from '../campaigns/campaign-rules.js';
import { ensureParticipant } from '../campaigns/campaigns.repository.js';
import { requireCampaign, type Campaign } from '../campaigns/campaigns.service.js';
import { seatsLeft } from './team-rules.js';
import * as repo from './teams.repository.js';

export interface TeamDeps {
  db: Db;
  clock: Clock;
}

export async function presentTeam(ex: Executor, team: repo.TeamRow, campaign: Campaign): Promise<Team> {
  const [members, rank] = await Promise.all([repo.membersOf(ex, team.id), repo.rankOf(ex, team)]);
  const limit = campaign.rules.teamSizeLimit;
  return {
    id: team.id,
    campaignId: team.campaignId,
    name: team.name,
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
  const team = await repo.findById(deps.db, teamId);
  if (!team) throw new AppError('TEAM_NOT_FOUND', 'No such team');
  const campaign = await requireCampaign(deps.db, team.campaignId);
  return presentTeam(deps.db, team, campaign);
}

/** The captain founds the team and takes its first seat; one team per user per campaign. */
export async function createTeam(
  deps: TeamDeps,
  input: { campaignId: string; userId: string; name: string },
  tx: Executor,
): Promise<Team> {
  const campaign = await requireCampaign(tx, input.campaignId);
  const now = deps.clock.now();
  assertLive(campaign, now);
  if (await repo.findTeamOf(tx, campaign.id, input.userId)) {
    throw new AppError('ALREADY_IN_TEAM', 'You already have a team in this campaign');
  }
  const team = await repo.insertTeam(tx, { campaignId: campaign.id, captainId: input.userId, name: input.name.trim(), at: now });
  const seated = await repo.insertMember(tx, { teamId: team.id, campaignId: campaign.id, userId: input.userId, role: 'captain', at: now });
  // A concurrent create by the same user won the unique index; our transaction rolls back.
  if (!seated) throw new AppError('ALREADY_IN_TEAM', 'You already have a team in this campaign');
  await ensureParticipant(tx, campaign.id, input.userId);
  return presentTeam(tx, team, campaign);
}

/** Seats `userId` in `teamId`; the seat guard and the unique index make it exact under a stampede. */
export async function joinTeam(
  deps: TeamDeps,
  input: { teamId: string; userId: string },
  tx: Executor,
): Promise<Team> {
  const found = await repo.findById(tx, input.teamId);
  if (!found) throw new AppError('TEAM_NOT_FOUND', 'No such team');
  const campaign = await requireCampaign(tx, found.campaignId);
  const now = deps.clock.now();
  assertLive(campaign, now);
  const mine = await repo.findTeamOf(tx, campaign.id, input.userId);
  if (mine) {
    const message = mine.id === found.id ? 'You are already in this team' : 'You already have a team in this campaign';
    throw new AppError('ALREADY_IN_TEAM', message, { teamId: mine.id });
  }
  const team = await repo.takeSeat(tx, found.id, campaign.rules.teamSizeLimit);
  if (!team) throw new AppError('TEAM_FULL', 'This team has no seat left');
  const seated = await repo.insertMember(tx, { teamId: team.id, campaignId: campaign.id, userId: input.userId, role: 'member', at: now });
  if (!seated) throw new AppError('ALREADY_IN_TEAM', 'You already have a team in this campaign');
  await ensureParticipant(tx, campaign.id, input.userId);
  return presentTeam(tx, team, campaign);
}
