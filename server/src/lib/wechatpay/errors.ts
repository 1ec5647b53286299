/**
 * What can go wrong talking to WeChat Pay API v3, split by what the caller must do next.
 *
 * The one question a payment service asks of a failure is "did the platform act on it?". A 4xx
 * answer with a business code says no (or says why: ORDERPAID, NOT_ENOUGH). A timeout, a dropped
 * connection, a 5xx or an answer whose signature does not verify says "unknown": the caller must
 * find out by querying under the same out_trade_no / out_refund_no, never by guessing. Every error
 * here carries `outcomeUnknown` so that decision is one property read.
 */
export abstract class WechatPayError extends Error {
  /** True when the platform may have acted on the request: resolve by query, and retry only with the same numbers. */
  abstract readonly outcomeUnknown: boolean;
  /** True when the same request may simply be sent again later. */
  abstract readonly retryable: boolean;
}

/** Extra facts the platform gives with PARAM_ERROR and a few others (which field, what was wrong). */
export interface WechatPayErrorDetail {
  field?: string;
  value?: unknown;
  issue?: string;
  location?: string;
  [k: string]: unknown;
}

/**
 * The platform answered with an error status and body `{code, message, detail?}`. `code` is the
 * platform's (ORDERPAID, ORDER_CLOSED, NOT_ENOUGH, RESOURCE_NOT_EXISTS, ORDER_NOT_EXIST,
 * SYSTEM_ERROR, SIGN_ERROR, PARAM_ERROR, FREQUENCY_LIMITED, ...); `requestId` is what the
 * platform's support asks for.
 */
export class WechatPayApiError extends WechatPayError {
  override readonly name = 'WechatPayApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null,
    readonly detail?: WechatPayErrorDetail,
  ) {
    super(`${status} ${code}: ${message}`);
    this.platformMessage = message;
  }

  /** The platform's own words, without the status and code this error's message adds. */
  readonly platformMessage: string;

  /** A 5xx (SYSTEM_ERROR, BANKERROR) may have been applied before it failed; a 4xx was refused. */
  get outcomeUnknown(): boolean {
    return this.status >= 500;
  }

  get retryable(): boolean {
    return this.status >= 500 || this.status === 429 || this.code === 'FREQUENCY_LIMITED';
  }
}

/** No answer within the call's timeout: the request may or may not have reached the platform. */
export class WechatPayTimeoutError extends WechatPayError {
  override readonly name = 'WechatPayTimeoutError';
  readonly outcomeUnknown = true;
  readonly retryable = true;

  constructor(
    readonly method: string,
    readonly path: string,
    readonly timeoutMs: number,
  ) {
    super(`${method} ${path}: no answer within ${timeoutMs} ms`);
  }
}

/** The connection failed (refused, reset, DNS). A reset after sending may still have been applied. */
export class WechatPayTransportError extends WechatPayError {
  override readonly name = 'WechatPayTransportError';
  readonly outcomeUnknown = true;
  readonly retryable = true;

  constructor(
    readonly method: string,
    readonly path: string,
    override readonly cause: unknown,
  ) {
    super(`${method} ${path}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export type VerificationFailure =
  /** A Wechatpay-* header is missing or malformed. */
  | 'missing-headers'
  /** Wechatpay-Serial names no key or certificate we hold. */
  | 'unknown-serial'
  /** Wechatpay-Timestamp is further than the tolerance from our clock (replay or a skewed clock). */
  | 'stale'
  /** The signature does not match the body: forged or tampered. */
  | 'bad-signature'
  /** The platform's deliberate probe (signature starting WECHATPAY/SIGNTEST/): it checks that we refuse it. */
  | 'sign-test';

/**
 * An answer or a notification that does not prove it came from the platform. For an answer the
 * outcome is unknown (something answered, but not provably the platform); a notification must be
 * refused with 401 and change nothing.
 */
export class WechatPayVerificationError extends WechatPayError {
  override readonly name = 'WechatPayVerificationError';
  readonly outcomeUnknown = true;
  readonly retryable = false;

  constructor(
    readonly reason: VerificationFailure,
    message: string,
  ) {
    super(message);
  }
}

/** The notification's resource did not decrypt under the APIv3 key (wrong key, tampered ciphertext or associated data). */
export class WechatPayDecryptError extends WechatPayError {
  override readonly name = 'WechatPayDecryptError';
  readonly outcomeUnknown = false;
  readonly retryable = false;
}

/** Something we received is not the shape the protocol documents (not JSON, a bill without its header). */
export class WechatPayProtocolError extends WechatPayError {
  override readonly name = 'WechatPayProtocolError';
  readonly outcomeUnknown = true;
  readonly retryable = false;
}

export const isWechatPayError = (e: unknown): e is WechatPayError => e instanceof WechatPayError;
