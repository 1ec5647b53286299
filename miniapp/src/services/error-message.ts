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

/** For `likeBlockedBy`/`joinBlockedBy`, which arrive as plain strings. */
export function messageForCode(code: string | null | undefined): string | null {
  if (!code) return null;
  return (ERROR_MESSAGES as Record<string, string>)[code] ?? S.common.unknownError;
}
