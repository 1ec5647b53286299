/**
 * Stable machine-readable error codes: the API answers every failure with one of these in
 * `{error: {code, message, details?}}`. Clients branch on `code`, never on `message`.
 * The HTTP status travels with the code so that the server and clients agree on it.
 */
export const ERRORS = {
  /** The body, query or params failed schema validation; `details` lists the offending paths. */
  VALIDATION_FAILED: 400,
  /** The body is not parseable JSON. */
  INVALID_JSON: 400,
  /** The request could not be read: a malformed URL or percent-encoding, or broken HTTP. */
  BAD_REQUEST: 400,
  /** The URL (a path parameter or the whole path) is longer than the server reads. */
  URI_TOO_LONG: 414,
  /** The request's headers are larger than the server reads. */
  HEADERS_TOO_LARGE: 431,
  /** A paging cursor was not one the server handed out. */
  INVALID_CURSOR: 400,
  /** An Idempotency-Key header is malformed (empty, too long, odd characters). */
  INVALID_IDEMPOTENCY_KEY: 400,
  /** No or bad access token on a route that needs one. */
  UNAUTHENTICATED: 401,
  /** The chat platform rejected the login code (expired, used twice, made up). */
  LOGIN_CODE_INVALID: 401,
  /** Dev logins (`dev:<name>`) are off on this server. */
  DEV_LOGIN_DISABLED: 403,
  /** A route or resource that does not exist. */
  NOT_FOUND: 404,
  /** The campaign id names no campaign. */
  CAMPAIGN_NOT_FOUND: 404,
  /** The team id names no team. */
  TEAM_NOT_FOUND: 404,
  /** The share token is unknown, forged or malformed. */
  SHARE_NOT_FOUND: 404,
  /** The product id is unknown. */
  PRODUCT_NOT_FOUND: 404,
  /** The group buy id is unknown. */
  GROUP_NOT_FOUND: 404,
  /** The order id is unknown (or, on a payment notification, was never placed here). */
  ORDER_NOT_FOUND: 404,
  /** The campaign is before its start or after its end. */
  CAMPAIGN_NOT_ACTIVE: 409,
  /** The user already belongs to a team in this campaign (one team per user per campaign). */
  ALREADY_IN_TEAM: 409,
  /** The team has no seat left. */
  TEAM_FULL: 409,
  /** The action needs the user (or the sharer) to be in a team. */
  NOT_IN_TEAM: 409,
  /** A user tried to like their own share. */
  SELF_LIKE: 409,
  /** The liker already liked this sharer today (campaign local day). */
  ALREADY_LIKED: 409,
  /** The liker used up today's likes. */
  DAILY_LIKE_CAP: 409,
  /** The sharer received as many likes today as the campaign allows. */
  SHARER_DAILY_CAP: 409,
  /** The group buy has no seat left, or already succeeded. */
  GROUP_FULL: 409,
  /** The group buy's window ended (or it failed) before this join. */
  GROUP_EXPIRED: 409,
  /** The user already holds a seat in this group buy. */
  ALREADY_IN_GROUP: 409,
  /** The group buy's opener has not paid yet, so nobody can join it. */
  GROUP_NOT_OPEN: 409,
  /** A group-buy card was asked for a group the sharer holds no seat in. */
  NOT_IN_GROUP: 409,
  /** The product has no stock left to reserve. */
  OUT_OF_STOCK: 409,
  /** The user already holds as many active orders of this product as it allows. */
  PURCHASE_LIMIT_REACHED: 409,
  /** The order's state does not allow this step (an illegal order transition). */
  ORDER_STATE_INVALID: 409,
  /** A payment notification's amount differs from its order's; nothing is credited. */
  PAYMENT_AMOUNT_MISMATCH: 409,
  /** A payment notification's signature or timestamp did not verify. */
  PAYMENT_SIGNATURE_INVALID: 401,
  /** Liker and sharer are in the same team and the campaign refuses teammate likes. */
  TEAMMATE_LIKE: 409,
  /** A red-packet claim named a tier the campaign's ladder does not have. */
  TIER_NOT_FOUND: 404,
  /** The user's campaign energy is below the tier they tried to claim. */
  TIER_NOT_REACHED: 409,
  /** The user already claimed this tier's red packet (once per user per tier). */
  ALREADY_CLAIMED: 409,
  /** What is left of the campaign's red-packet budget does not cover this red packet. */
  BUDGET_EXHAUSTED: 409,
  /** No payout provider is configured, so cash could not be paid: refused before anything is debited. */
  PAYOUT_UNAVAILABLE: 503,
  /** The red packet's transfer was cancelled (not confirmed in time); it is being offered again. */
  TRANSFER_CANCELLED: 409,
  /** The red packet has nothing to confirm (still held or in review, paid, voided). */
  TRANSFER_NOT_CONFIRMABLE: 409,
  /** An operator voided this account's reward after review: nothing more is paid to it. */
  REWARD_VOIDED: 403,
  /** The reward is not waiting for review (release and void apply only to one in review). */
  REWARD_NOT_IN_REVIEW: 409,
  /** No coupon of mine with this id. */
  COUPON_NOT_FOUND: 404,
  /** The coupon is past its expiry. */
  COUPON_EXPIRED: 409,
  /** The coupon is already used on another order. */
  COUPON_ALREADY_USED: 409,
  /** The coupon is for another campaign's products, or the price is below its minimum spend. */
  COUPON_NOT_APPLICABLE: 422,
  /** Settlement was asked for a campaign that has not ended (plus its grace period) yet. */
  CAMPAIGN_NOT_ENDED: 409,
  /** An admin route was called with a user's access token: only operator keys are accepted there. */
  OPERATOR_ONLY: 403,
  /** The operator key lacks the scope this admin route needs (a read key on a write route). */
  SCOPE_MISSING: 403,
  /** The operator id is unknown. */
  OPERATOR_NOT_FOUND: 404,
  /** The user id (or openid) names no user. */
  USER_NOT_FOUND: 404,
  /** The fraud flag id is unknown. */
  FLAG_NOT_FOUND: 404,
  /** The fraud flag was already reviewed; a second review would void likes twice. */
  FLAG_ALREADY_RESOLVED: 409,
  /** The campaign's lifecycle does not allow this move (e.g. draft → settled, or back from ended). */
  CAMPAIGN_TRANSITION_INVALID: 409,
  /** The same Idempotency-Key was sent before with a different request. */
  IDEMPOTENCY_KEY_REUSED: 422,
  /** The body is larger than the server accepts. */
  PAYLOAD_TOO_LARGE: 413,
  /** The body is sent with a content type other than JSON. */
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** Too many requests from this client; retry after the `retry-after` header. */
  RATE_LIMITED: 429,
  /** Something failed on the server; details are in its log, never in the answer. */
  INTERNAL: 500,
  /** A dependency (database, chat platform) is unavailable; retrying later may succeed. */
  SERVICE_UNAVAILABLE: 503,
  /** No payment provider is configured on this server, so nothing can be bought yet. */
  PAYMENT_UNAVAILABLE: 503,
  /** The chat platform's content check judged a nickname or team name risky; `details.label` says why. */
  CONTENT_REFUSED: 422,
  /** A poster code's scene names no card, or its card's campaign is over. */
  SHARE_SCENE_NOT_FOUND: 404,
  /** A message pushed by the chat platform whose signature did not verify. */
  PUSH_SIGNATURE_INVALID: 401,
} as const;

export type ErrorCode = keyof typeof ERRORS;

export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

/**
 * The code for a failure that came without one: a framework error on the server, or a proxy's
 * page in front of it on the client. Both sides use this so they name such a failure alike.
 */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHENTICATED';
    case 404:
      return 'NOT_FOUND';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 414:
      return 'URI_TOO_LONG';
    case 431:
      return 'HEADERS_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'RATE_LIMITED';
    case 502:
    case 503:
    case 504:
      return 'SERVICE_UNAVAILABLE';
    default:
      return status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED';
  }
}
