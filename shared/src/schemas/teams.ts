import { Type, type Static } from 'typebox';
import { Energy, Id, Timestamp } from './common.js';
import { LIMITS } from '../constants.js';

export const CreateTeamBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: LIMITS.teamNameMaxLength, pattern: '\\S' }),
});
export type CreateTeamBody = Static<typeof CreateTeamBody>;

export const TeamRole = Type.Union([Type.Literal('captain'), Type.Literal('member')]);
export type TeamRole = Static<typeof TeamRole>;

export const TeamMember = Type.Object({
  userId: Id,
  nickname: Type.String(),
  avatarUrl: Type.Union([Type.String(), Type.Null()]),
  role: TeamRole,
  /** Energy this member brought to the team since joining it. */
  energy: Energy,
  joinedAt: Timestamp,
});
export type TeamMember = Static<typeof TeamMember>;

export const Team = Type.Object({
  id: Id,
  campaignId: Id,
  name: Type.String(),
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
