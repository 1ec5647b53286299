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

  it("says why the platform's content check refused a name, and which name", () => {
    const refused = (details: unknown) => errorMessage(new ApiError('CONTENT_REFUSED', 'refused', 422, details));
    expect(refused({ field: 'name', label: 20003 })).toBe('队名含有辱骂内容，请换一个');
    expect(refused({ field: 'nickname', label: 10001 })).toBe('昵称含有广告信息，请换一个');
    // A label this build does not know, or an answer without details, still reads as a refusal.
    expect(refused({ field: 'name', label: 29999 })).toBe('队名含有不合适的内容，请换一个');
    expect(refused(undefined)).toBe(ERROR_MESSAGES.CONTENT_REFUSED);
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
