import { ERROR_CODES, type ErrorCode } from '@jizan/shared/errors';
import { describe, expect, it } from 'vitest';
import { errorMessage, messageForCode } from '../src/services/error-message';
import { ApiError } from '../src/services/http';
import { ERROR_MESSAGES, S } from '../src/strings';

describe('error messages', () => {
  it('has a Chinese message for every error code the API can send', () => {
    for (const code of ERROR_CODES) {
      const msg = errorMessage(new ApiError(code, 'english from server', 409));
      expect(msg, code).toMatch(/[\u4e00-\u9fff]/);
      expect(msg).not.toContain('english');
    }
  });

  it('tells the like refusals apart, so the user knows what to do next', () => {
    const like = ['SELF_LIKE', 'ALREADY_LIKED', 'DAILY_LIKE_CAP', 'SHARER_DAILY_CAP', 'CAMPAIGN_NOT_ACTIVE'] as const;
    const team = ['TEAM_FULL', 'ALREADY_IN_TEAM', 'NOT_IN_TEAM'] as const;
    const msgs = [...like, ...team].map((c) => ERROR_MESSAGES[c]);
    expect(new Set(msgs).size).toBe(msgs.length);
    expect(ERROR_MESSAGES.SELF_LIKE).toContain('自己');
    expect(ERROR_MESSAGES.TEAM_FULL).toContain('满员');
    expect(ERROR_MESSAGES.ALREADY_LIKED).toContain('明天');
  });

  it('says "check your network" when the server could not be reached', () => {
    expect(errorMessage(new ApiError('NETWORK', 'timeout', 0))).toBe(S.common.networkError);
    expect(errorMessage(new Error('boom'))).toBe(S.common.unknownError);
  });

  it('maps blockedBy strings, including codes this client does not know yet', () => {
    expect(messageForCode('DAILY_LIKE_CAP')).toBe(ERROR_MESSAGES.DAILY_LIKE_CAP);
    // A server newer than this build may send a code the contract here does not list yet.
    expect(messageForCode('SOMETHING_NEW' as ErrorCode)).toBe(S.common.unknownError);
    expect(messageForCode(null)).toBeNull();
  });
});
