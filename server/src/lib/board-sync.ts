/**
 * What the modules that move energy tell the leaderboards once their transaction has committed,
 * so a board kept outside PostgreSQL (Redis) follows the balances. It lives here, not in the
 * leaderboard module, so likes, group buys and fraud reviews can call it without depending on
 * the boards (which depend on them). Every call returns at once and never throws: a board that
 * misses a move is corrected later, and a like must never fail or wait because of a board.
 */
export interface BoardSync {
  /** A like committed: the sharer's balance (and their team's, null without one) after it. */
  liked(campaignId: string, sharerId: string, sharerEnergy: number, teamEnergy: number | null): void;
  /**
   * These users' balances (and their teams') moved in a committed transaction: `raised` only
   * grew them (a group-buy credit), `lowered` may have taken some back (voided likes). Null
   * `campaignId`: every campaign they take part in.
   */
  moved(campaignId: string | null, userIds: readonly string[], how: 'raised' | 'lowered'): void;
}

/** The embedded default: the boards are read from the balances themselves, so there is nothing to follow. */
export const noBoardSync: BoardSync = {
  liked: () => {},
  moved: () => {},
};
