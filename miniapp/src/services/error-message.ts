import type { ErrorCode } from '@jizan/shared/errors';
import { contentRefusal } from '@jizan/shared/names';
import { ERROR_MESSAGES, S } from '../strings';
import { isApiError, type ClientErrorCode } from './http';

/** What the user reads for any failure: the friendly line for the code, never the server's English. */
export function errorMessage(e: unknown): string {
  if (isApiError(e)) {
    if (e.code === 'NETWORK') return S.common.networkError;
    if (e.code === 'BAD_RESPONSE') return S.common.unknownError;
    if (e.code === 'CONTENT_REFUSED') return refusalOf(e.details) ?? ERROR_MESSAGES.CONTENT_REFUSED;
    return ERROR_MESSAGES[e.code] ?? S.common.unknownError;
  }
  return S.common.unknownError;
}

/** The platform's reason for a refused name, from the answer's details (`{ field, label }`). */
function refusalOf(details: unknown): string | null {
  if (typeof details !== 'object' || details === null) return null;
  const { field, label } = details as { field?: unknown; label?: unknown };
  if ((field !== 'nickname' && field !== 'name') || typeof label !== 'number') return null;
  return contentRefusal(field, label);
}

/** For `likeBlockedBy`/`joinBlockedBy`; a code from a server newer than this build reads as the generic line. */
export function messageForCode(code: ErrorCode | null): string | null {
  if (!code) return null;
  return ERROR_MESSAGES[code] ?? S.common.unknownError;
}

/** Failures worth a retry; anything else (a dead link, a refusal) fails the same way again. */
const RETRYABLE = new Set<string>(['NETWORK', 'BAD_RESPONSE', 'INTERNAL', 'SERVICE_UNAVAILABLE', 'RATE_LIMITED']);

/** A failure as the UI handles it: what to say, and whether 重试 can help. */
export interface Failure {
  message: string;
  code: ErrorCode | ClientErrorCode | null;
  retryable: boolean;
}

export function failureOf(e: unknown): Failure {
  const code = isApiError(e) ? e.code : null;
  return { message: errorMessage(e), code, retryable: code === null || RETRYABLE.has(code) };
}

/** A page with nothing to show and no failure to name (e.g. a link without its id); 重试 may help. */
export const UNKNOWN_FAILURE: Failure = { message: S.common.unknownError, code: null, retryable: true };
