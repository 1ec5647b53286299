import type { ShareLanding } from '@jizan/shared';
import { describe, expect, it } from 'vitest';
import { deriveLandingView, type LandingInput } from '../src/logic/landing-state';
import { MOMENTS_SCENE } from '../src/platform';
import { failureOf } from '../src/services/error-message';
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
    helpers: { count: 0, recent: [] },
    sharerNextTier: null,
    team: { id: 't', name: '冲鸭队', energy: 0, memberCount: 1, maxMembers: 5 },
    groupBuy: null,
    ...over,
    viewer: {
      authenticated: true,
      isSharer: false,
      teamId: null,
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
  likeFailure: null,
  joinedTeamId: null,
  joining: false,
  joinFailure: null,
};

const ready = (input: Partial<LandingInput>) => {
  const v = deriveLandingView({ ...base, ...input });
  if (v.kind !== 'ready') throw new Error(`expected ready, got ${v.kind}`);
  return v;
};

const likeResult = { energy: 20, newLikerBonus: true, sharerEnergy: 60, teamEnergy: 60 };
const offline = failureOf(new ApiError('NETWORK', 'offline', 0));

describe('share landing state', () => {
  it('offers a friend both like and join, and says who asked for help', () => {
    const v = ready({});
    expect(v.headline).toBe(S.share.likeReason('小明'));
    expect(v.like).toEqual({ state: 'available', error: null });
    expect(v.join).toEqual({ state: 'available', error: null });
    expect(v.notice).toBeNull();
    // Before the tap the like is the thing to do: no other step competes with it.
    expect(v.next).toEqual([]);
  });

  it('names the team on a "join my team" card', () => {
    expect(ready({ landing: landing({ kind: 'team' }) }).headline).toBe(S.share.teamReason('小明', '冲鸭队'));
  });

  it.each([['ALREADY_LIKED'], ['DAILY_LIKE_CAP'], ['SHARER_DAILY_CAP']] as const)(
    'explains a like blocked by %s with its own message',
    (code) => {
      const v = ready({ landing: landing({}, { canLike: false, likeBlockedBy: code }) });
      expect(v.like).toEqual({ state: 'blocked', message: ERROR_MESSAGES[code] });
    },
  );

  it('explains a full team and still lets the friend like', () => {
    const v = ready({ landing: landing({}, { canJoin: false, joinBlockedBy: 'TEAM_FULL' }) });
    expect(v.join).toEqual({ state: 'blocked', message: ERROR_MESSAGES.TEAM_FULL });
    expect(v.like.state).toBe('available');
  });

  it('says a refusal once: the refreshed landing explains it, the tap adds nothing', () => {
    const tapRefused = failureOf(new ApiError('DAILY_LIKE_CAP', 'cap', 409));
    const v = ready({ likeFailure: tapRefused, landing: landing({}, { canLike: false, likeBlockedBy: 'DAILY_LIKE_CAP' }) });
    expect(v.like).toEqual({ state: 'blocked', message: ERROR_MESSAGES.DAILY_LIKE_CAP });
  });

  it("says the tap's refusal when the landing could not refresh, instead of offering the button again", () => {
    const full = failureOf(new ApiError('TEAM_FULL', 'full', 409));
    expect(ready({ joinFailure: full }).join).toEqual({ state: 'blocked', message: ERROR_MESSAGES.TEAM_FULL });
  });

  it('keeps a failure a retry may fix under the button, and drops it on the next try', () => {
    expect(ready({ likeFailure: offline }).like).toEqual({ state: 'available', error: S.common.networkError });
    expect(ready({ likeFailure: offline, liking: true }).like).toEqual({ state: 'busy' });
    expect(ready({ likeFailure: null }).like).toEqual({ state: 'available', error: null });
  });

  it('keeps the landing on screen when a refresh after an action fails', () => {
    expect(ready({ loadError: new ApiError('NETWORK', 'offline', 0), likeFailure: offline }).kind).toBe('ready');
  });

  it('shows success after a like even though the server now says "already liked"', () => {
    const v = ready({ likeResult, landing: landing({}, { canLike: false, likeBlockedBy: 'ALREADY_LIKED' }) });
    expect(v.like.state).toBe('done');
    expect(v.likeResult).toEqual(likeResult);
  });

  it('shows join as done after joining, then the team and more invitations', () => {
    const v = ready({ likeResult, joinedTeamId: 't', landing: landing({}, { canJoin: false, joinBlockedBy: 'ALREADY_IN_TEAM' }) });
    expect(v.join.state).toBe('done');
    expect(v.next).toEqual(['my-team', 'invite']);
    expect(v.myTeamId).toBe('t');
  });

  it('marks an action busy while its request is in flight', () => {
    expect(ready({ liking: true }).like.state).toBe('busy');
    expect(ready({ joining: true }).join.state).toBe('busy');
  });

  describe('the next step fits who the viewer is', () => {
    it('a friend without a team: join stays open, and building their own is the other way', () => {
      const v = ready({ likeResult });
      expect(v.join.state).toBe('available');
      expect(v.next).toEqual(['create-team']);
    });

    it('a friend facing a full team: build their own', () => {
      const v = ready({ likeResult, landing: landing({}, { canJoin: false, joinBlockedBy: 'TEAM_FULL' }) });
      expect(v.next).toEqual(['create-team']);
    });

    it('a teammate: see my team, keep inviting; no join button', () => {
      const v = ready({ likeResult, landing: landing({}, { teamId: 't', canJoin: false, joinBlockedBy: 'ALREADY_IN_TEAM' }) });
      expect(v.join.state).toBe('hidden');
      expect(v.next).toEqual(['my-team', 'invite']);
      expect(v.myTeamId).toBe('t');
    });

    it('a member of another team: see my team, and no refusal to join', () => {
      const v = ready({ likeResult, landing: landing({}, { teamId: 'other', canJoin: false, joinBlockedBy: 'ALREADY_IN_TEAM' }) });
      expect(v.join.state).toBe('hidden');
      expect(v.next).toEqual(['my-team']);
      expect(v.myTeamId).toBe('other');
    });

    it('the sharer on their own card: keep inviting, and their team (or build one)', () => {
      const own = { isSharer: true, canLike: false, likeBlockedBy: 'SELF_LIKE' as const, canJoin: false };
      const v = ready({ landing: landing({}, { ...own, teamId: 't' }) });
      expect(v.notice).toBe(S.share.yourOwnShare);
      expect(v.like.state).toBe('hidden');
      expect(v.join.state).toBe('hidden');
      expect(v.next).toEqual(['invite', 'my-team']);
      expect(ready({ landing: landing({ team: null }, own) }).next).toEqual(['invite', 'create-team']);
    });

    it('anyone once the campaign is over: one notice, and the way home', () => {
      const v = ready({
        landing: landing(
          { campaign: { ...landing().campaign, status: 'ended' } },
          { canLike: false, likeBlockedBy: 'CAMPAIGN_NOT_ACTIVE', canJoin: false, joinBlockedBy: 'CAMPAIGN_NOT_ACTIVE' },
        ),
      });
      expect(v.notice).toBe(S.share.campaignEnded);
      expect(v.like.state).toBe('hidden');
      expect(v.join.state).toBe('hidden');
      expect(v.next).toEqual(['home']);
    });
  });

  it('hides join when the sharer has no team to join', () => {
    expect(ready({ landing: landing({ team: null }, { canJoin: false, joinBlockedBy: 'NOT_IN_TEAM' }) }).join.state).toBe('hidden');
  });

  it('in Moments single-page mode shows who asked but no buttons', () => {
    const v = ready({ scene: MOMENTS_SCENE, landing: landing({}, { authenticated: false, canLike: false, likeBlockedBy: 'UNAUTHENTICATED' }) });
    expect(v.moments).toBe(true);
    expect(v.like.state).toBe('hidden');
    expect(v.join.state).toBe('hidden');
    expect(v.next).toEqual([]);
    expect(v.headline).toContain('小明');
  });

  it('handles a missing token, a load failure and the loading moment', () => {
    expect(deriveLandingView({ ...base, token: null }).kind).toBe('missing-token');
    expect(deriveLandingView({ ...base, landing: null, loadError: new ApiError('SHARE_NOT_FOUND', 'x', 404) })).toEqual({
      kind: 'error',
      failure: { message: ERROR_MESSAGES.SHARE_NOT_FOUND, code: 'SHARE_NOT_FOUND', retryable: false },
    });
    expect(deriveLandingView({ ...base, landing: null, loadError: new ApiError('NETWORK', 'x', 0) })).toEqual({
      kind: 'error',
      failure: { message: S.common.networkError, code: 'NETWORK', retryable: true },
    });
    expect(deriveLandingView({ ...base, landing: null }).kind).toBe('loading');
  });
});
