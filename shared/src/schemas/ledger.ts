import { Type, type Static } from 'typebox';
import { Cursor, Energy, Id, PageSize, Timestamp, UserSummary } from './common.js';

/**
 * Why energy moved. `new_liker_like` is a friend's first like ever, which counts extra;
 * `group_join` is a friend who joined a group buy from the user's card and paid;
 * `like_voided` takes back a like an operator found fraudulent (a negative amount).
 */
export const LedgerReason = Type.Union([
  Type.Literal('like'),
  Type.Literal('new_liker_like'),
  Type.Literal('group_join'),
  Type.Literal('like_voided'),
]);
export type LedgerReason = Static<typeof LedgerReason>;

export const LedgerQuery = Type.Object({
  campaignId: Id,
  cursor: Type.Optional(Cursor),
  limit: Type.Optional(PageSize),
});
export type LedgerQuery = Static<typeof LedgerQuery>;

export const LedgerEntry = Type.Object({
  id: Type.String({ description: 'Ledger row id' }),
  amount: Type.Integer(),
  reason: LedgerReason,
  /** Who caused the movement (the friend who liked or joined), when there is one. */
  from: Type.Union([UserSummary, Type.Null()]),
  createdAt: Timestamp,
});
export type LedgerEntry = Static<typeof LedgerEntry>;

export const LedgerResponse = Type.Object({
  balance: Energy,
  entries: Type.Array(LedgerEntry),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type LedgerResponse = Static<typeof LedgerResponse>;
