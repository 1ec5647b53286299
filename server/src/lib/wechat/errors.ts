/**
 * What a call to the chat platform can end in besides an answer. Callers branch on the class:
 * `WechatApiError` is the platform's own refusal (errcode/errmsg, documented per endpoint), which
 * a retry does not change unless the code says busy; `WechatUnreachableError` is the network,
 * a timeout or an HTTP error page in front of the platform, which a later retry may fix.
 */
export class WechatApiError extends Error {
  constructor(
    readonly path: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`chat platform ${path} answered errcode ${errcode}: ${errmsg}`);
    this.name = 'WechatApiError';
  }

  /** The platform said busy (-1) or throttled (45009 daily quota, 45011 frequency): worth a later retry. */
  get busy(): boolean {
    return BUSY.has(this.errcode);
  }
}

export class WechatUnreachableError extends Error {
  constructor(
    readonly path: string,
    readonly reason: 'timeout' | 'network' | 'http',
    readonly status: number | null,
    cause?: unknown,
  ) {
    super(`chat platform ${path} unreachable (${reason}${status ? ` ${status}` : ''})`, { cause });
    this.name = 'WechatUnreachableError';
  }
}

export type WechatError = WechatApiError | WechatUnreachableError;

export const isWechatError = (e: unknown): e is WechatError => e instanceof WechatApiError || e instanceof WechatUnreachableError;

/**
 * The answers that mean the access_token we sent is no good: 40001 invalid credential (replaced
 * by a force refresh elsewhere, or expired), 42001 expired, 40014 malformed. A fresh token and one
 * more try is the documented remedy.
 */
export const TOKEN_REJECTED = new Set([40001, 42001, 40014]);

const BUSY = new Set([-1, 45009, 45011]);
