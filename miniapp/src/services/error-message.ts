import type { ErrorCode } from '@jizan/shared/errors';
import { ERROR_MESSAGES, S } from '../strings';
import { isApiError } from './http';

/** What the user reads for any failure: the friendly line for the code, never the server's English. */
export function errorMessage(e: unknown): string {
  if (isApiError(e)) {
    if (e.code === 'NETWORK') return S.common.networkError;
    if (e.code === 'BAD_RESPONSE') return S.common.unknownError;
    return ERROR_MESSAGES[e.code];
  }
  return S.common.unknownError;
}

/** For `likeBlockedBy`/`joinBlockedBy`; a code from a server newer than this build reads as the generic line. */
export function messageForCode(code: ErrorCode | null): string | null {
  if (!code) return null;
  return ERROR_MESSAGES[code] ?? S.common.unknownError;
}
