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
  /** The user's avatar; a team's is its captain's. */
  avatarUrl: Type.Union([Type.String(), Type.Null()]),
  energy: Energy,
  /** Ties share a rank (1, 2, 2, 4), here and on the team page alike. */
  rank: Type.Integer({ minimum: 1 }),
});
export type LeaderboardEntry = Static<typeof LeaderboardEntry>;

/** My own row, with what it takes to climb (距上一名还差 X 能量). */
export const MyLeaderboardEntry = Type.Object({
  ...LeaderboardEntry.properties,
  /** Energy still needed to reach the rank above; null when first. */
  gapToPrevious: Type.Union([Energy, Type.Null()]),
});
export type MyLeaderboardEntry = Static<typeof MyLeaderboardEntry>;

export const LeaderboardResponse = Type.Object({
  by: LeaderboardBy,
  entries: Type.Array(LeaderboardEntry),
  /** The caller on the user board; the caller's team on the team board (null without a team). */
  me: Type.Union([MyLeaderboardEntry, Type.Null()]),
});
export type LeaderboardResponse = Static<typeof LeaderboardResponse>;
