import { Type, type Static } from 'typebox';
import { Energy, Id, Timestamp, UserSummary } from './common.js';
import { LIMITS } from '../constants.js';

export const CreateTeamBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: LIMITS.teamNameMaxLength, pattern: '\\S' }),
});
export type CreateTeamBody = Static<typeof CreateTeamBody>;

export const TeamRole = Type.Union([Type.Literal('captain'), Type.Literal('member')]);
export type TeamRole = Static<typeof TeamRole>;

/** A member is a user with a role: the user's own fields (`id` is the user's), then the membership's. */
export const TeamMember = Type.Object({
  ...UserSummary.properties,
  role: TeamRole,
  /** Energy this member brought to the team since joining it. */
  energy: Energy,
  joinedAt: Timestamp,
});
export type TeamMember = Static<typeof TeamMember>;

/** A team at a glance: on the campaign page (my team) and on a share landing (the sharer's). */
export const TeamSummary = Type.Object({
  id: Id,
  name: Type.String(),
  energy: Energy,
  memberCount: Type.Integer(),
  maxMembers: Type.Integer(),
});
export type TeamSummary = Static<typeof TeamSummary>;

export const Team = Type.Object({
  id: Id,
  campaignId: Id,
  name: Type.String(),
  /**
   * The name the captain chose waits for the content check (the platform could not be asked, or
   * asked for a review): `name` is a neutral stand-in until it passes.
   */
  namePending: Type.Boolean(),
  captainId: Id,
  energy: Energy,
  /** 1-based rank among the campaign's teams by energy (ties share a rank). */
  rank: Type.Integer({ minimum: 1 }),
  maxMembers: Type.Integer(),
  seatsLeft: Type.Integer({ minimum: 0 }),
  members: Type.Array(TeamMember),
  createdAt: Timestamp,
});
export type Team = Static<typeof Team>;
