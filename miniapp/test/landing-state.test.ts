import type { ShareLanding } from '@jizan/shared';
import { describe, expect, it } from 'vitest';
import { deriveLandingView, type LandingInput } from '../src/logic/landing-state';
import { MOMENTS_SCENE } from '../src/platform';
import { ApiError } from '../src/services/http';
import { ERROR_MESSAGES, S } from '../src/strings';

function landing(over: Partial<ShareLanding> = {}, viewer: Partial<ShareLanding['viewer']> = {}): ShareLanding {
  return {
    token: 's1',
    kind: 'like',
    createdAt: '2030-01-01T00:00:00Z',
    sharer: { id: 'a', nickname: '小明', avatarUrl: null },
    campaign: { id: 'c', name: '双11', startsAt: '2030-01-01T00:00:00Z', endsAt: '2030-02-01T00:00:00Z', timeZone: 'Asia/Shanghai', status: 'live' },
    sharerEnergy: 40,
    sharerNextTier: null,
    team: { id: 't', name: '冲鸭队', energy: 0, memberCount: 1, maxMembers: 5 },
    groupBuy: null,
    ...over,
    viewer: {
      authenticated: true,
      isSharer: false,
      canLike: true,
      likeBlockedBy: null,
      canJoin: true,
      joinBlockedBy: null,
      ...viewer,
    },
  };
}

const base: LandingInput = {
  token: 's1',
  scene: null,
  landing: landing(),
  loadError: null,
  likeResult: null,
  liking: false,
  joined: false,
  joining: false,
};

const ready = (input: Partial<LandingInput>) => {
  const v = deriveLandingView({ ...base, ...input });
  if (v.kind !== 'ready') throw new Error(`expected ready, got ${v.kind}`);
  return v;
};

describe('share landing state', () => {
  it('offers a friend both like and join, and says who asked for help', () => {
    const v = ready({});
    expect(v.headline).toBe(S.share.likeReason('小明'));
    expect(v.like.state).toBe('available');
    expect(v.join.state).toBe('available');
    expect(v.notice).toBeNull();
  });

  it('names the team on a "join my team" card', () => {
    expect(ready({ landing: landing({ kind: 'team' }) }).headline).toBe(S.share.teamReason('小明', '冲鸭队'));
  });

  it.each([
    ['ALREADY_LIKED'],
    ['DAILY_LIKE_CAP'],
    ['SHARER_DAILY_CAP'],
    ['CAMPAIGN_NOT_ACTIVE'],
  ] as const)('explains a like blocked by %s with its own message', (code) => {
    const v = ready({ landing: landing({}, { canLike: false, likeBlockedBy: code }) });
    expect(v.like).toEqual({ state: 'blocked', message: ERROR_MESSAGES[code] });
  });

  it('explains a full team and still lets the friend like', () => {
    const v = ready({ landing: landing({}, { canJoin: false, joinBlockedBy: 'TEAM_FULL' }) });
    expect(v.join).toEqual({ state: 'blocked', message: ERROR_MESSAGES.TEAM_FULL });
    expect(v.like.state).toBe('available');
  });

  it('shows the sharer their own page without like or join buttons', () => {
    const v = ready({ landing: landing({}, { isSharer: true, canLike: false, likeBlockedBy: 'SELF_LIKE', canJoin: false }) });
    expect(v.notice).toBe(S.share.yourOwnShare);
    expect(v.like.state).toBe('hidden');
    expect(v.join.state).toBe('hidden');
  });

  it('says the campaign is over when it has ended', () => {
    const v = ready({
      landing: landing(
        { campaign: { ...landing().campaign, status: 'ended' } },
        { canLike: false, likeBlockedBy: 'CAMPAIGN_NOT_ACTIVE', canJoin: false, joinBlockedBy: 'CAMPAIGN_NOT_ACTIVE' },
      ),
    });
    expect(v.notice).toBe(S.share.campaignEnded);
    expect(v.like.state).toBe('blocked');
  });

  it('hides join when the sharer has no team to join', () => {
    expect(ready({ landing: landing({ team: null }, { canJoin: false, joinBlockedBy: 'NOT_IN_TEAM' }) }).join.state).toBe('hidden');
  });

  it('shows success after a like even though the server now says "already liked"', () => {
    const likeResult = { energy: 20, newLikerBonus: true, sharerEnergy: 20, teamEnergy: 20 };
    const v = ready({ likeResult, landing: landing({}, { canLike: false, likeBlockedBy: 'ALREADY_LIKED' }) });
    expect(v.like.state).toBe('done');
    expect(v.likeResult).toEqual(likeResult);
  });

  it('shows join as done after joining', () => {
    expect(ready({ joined: true, landing: landing({}, { canJoin: false, joinBlockedBy: 'ALREADY_IN_TEAM' }) }).join.state).toBe('done');
  });

  it('marks an action busy while its request is in flight', () => {
    expect(ready({ liking: true }).like.state).toBe('busy');
    expect(ready({ joining: true }).join.state).toBe('busy');
  });

  it('in Moments single-page mode shows who asked but no buttons', () => {
    const v = ready({ scene: MOMENTS_SCENE, landing: landing({}, { authenticated: false, canLike: false, likeBlockedBy: 'UNAUTHENTICATED' }) });
    expect(v.moments).toBe(true);
    expect(v.like.state).toBe('hidden');
    expect(v.join.state).toBe('hidden');
    expect(v.headline).toContain('小明');
  });

  it('handles a missing token, a load failure and the loading moment', () => {
    expect(deriveLandingView({ ...base, token: null }).kind).toBe('missing-token');
    expect(deriveLandingView({ ...base, loadError: new ApiError('SHARE_NOT_FOUND', 'x', 404) })).toEqual({
      kind: 'error',
      message: ERROR_MESSAGES.SHARE_NOT_FOUND,
      retryable: false,
    });
    expect(deriveLandingView({ ...base, loadError: new ApiError('NETWORK', 'x', 0) })).toEqual({
      kind: 'error',
      message: S.common.networkError,
      retryable: true,
    });
    expect(deriveLandingView({ ...base, landing: null }).kind).toBe('loading');
  });
});
