import { Type, type Static } from 'typebox';
import { Energy, Id, PageSize } from './common.js';

export const LeaderboardBy = Type.Union([Type.Literal('team'), Type.Literal('user')]);
export type LeaderboardBy = Static<typeof LeaderboardBy>;

export const LeaderboardQuery = Type.Object({
  by: Type.Optional(LeaderboardBy),
  limit: Type.Optional(PageSize),
});
export type LeaderboardQuery = Static<typeof LeaderboardQuery>;

export const LeaderboardEntry = Type.Object({
  id: Id,
  name: Type.String(),
  energy: Energy,
  /** Ties share a rank (1, 2, 2, 4). */
  rank: Type.Integer({ minimum: 1 }),
});
export type LeaderboardEntry = Static<typeof LeaderboardEntry>;

export const LeaderboardResponse = Type.Object({
  by: LeaderboardBy,
  entries: Type.Array(LeaderboardEntry),
  /** The caller on the user board; the caller's team on the team board (null without a team). */
  me: Type.Union([LeaderboardEntry, Type.Null()]),
});
export type LeaderboardResponse = Static<typeof LeaderboardResponse>;
