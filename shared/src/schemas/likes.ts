import { Type, type Static } from 'typebox';
import { Id, UserSummary } from './common.js';

/** Friends on one side of likes: how many in all (each counted once), the latest by face. */
export const FriendGroup = Type.Object({
  count: Type.Integer({ minimum: 0 }),
  /** Most recent first, at most LIMITS.friendsShown. */
  recent: Type.Array(UserSummary),
});
export type FriendGroup = Static<typeof FriendGroup>;

export const MyLikesQuery = Type.Object({ campaignId: Id });
export type MyLikesQuery = Static<typeof MyLikesQuery>;

export const MyLikesResponse = Type.Object({
  /** Friends who liked me in this campaign (已有 N 位好友助力). */
  helpers: FriendGroup,
  /** Friends I liked in this campaign. */
  helped: FriendGroup,
});
export type MyLikesResponse = Static<typeof MyLikesResponse>;
