import type { CampaignDetail, LikeResponse, Me, MyLikesResponse, ShareLanding, Team } from '@jizan/shared';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/services/http';
import { ERROR_MESSAGES, S } from '../src/strings';
import { navigations, resetTaroStub, routerParams } from './stubs/taro';

/**
 * Pages rendered as a person meets them, with the API replaced by fakes the test controls: what
 * is sent (how many likes leave on a double tap) and what the screen says afterwards.
 */
const api = vi.hoisted(() => ({
  me: vi.fn(),
  campaigns: vi.fn(),
  campaign: vi.fn(),
  myLikes: vi.fn(),
  createTeam: vi.fn(),
  team: vi.fn(),
  createShare: vi.fn(),
  shareLanding: vi.fn(),
  like: vi.fn(),
  join: vi.fn(),
  updateMe: vi.fn(),
  myNotifications: vi.fn(async () => ({ notifications: [], unread: 0 })),
  mySubscriptions: vi.fn(async () => ({ templates: [], moments: { after_group: [], after_claim: [], after_like: ['T-like'] } })),
  recordSubscriptions: vi.fn(async () => undefined),
}));
vi.mock('../src/services/client', () => ({ api, http: {} }));

const { default: SharePage } = await import('../src/pages/share/index');
const { default: HomePage } = await import('../src/pages/home/index');
const { default: TeamPage } = await import('../src/pages/team/index');

const me: Me = { id: 'v', nickname: '集赞好友1234', avatarUrl: null, profileCompleted: false, pendingNickname: null, avatarPending: false, avatarHidden: false, createdAt: '2030-01-01T00:00:00Z' };
const campaign = { id: 'c', name: '双11', startsAt: '2030-01-01T00:00:00Z', endsAt: '2099-02-01T00:00:00Z', timeZone: 'Asia/Shanghai', status: 'live' as const };

function landing(viewer: Partial<ShareLanding['viewer']> = {}, over: Partial<ShareLanding> = {}): ShareLanding {
  return {
    token: 'tok',
    kind: 'team',
    createdAt: '2030-01-01T00:00:00Z',
    sharer: { id: 'a', nickname: '小明', avatarUrl: null },
    campaign,
    sharerEnergy: 40,
    helpers: { count: 2, recent: [{ id: 'h1', nickname: '安安', avatarUrl: null }, { id: 'h2', nickname: '阿斌', avatarUrl: null }] },
    sharerNextTier: null,
    team: { id: 't', name: '冲鸭队', energy: 40, memberCount: 2, maxMembers: 5 },
    groupBuy: null,
    ...over,
    viewer: { authenticated: true, isSharer: false, teamId: null, canLike: true, likeBlockedBy: null, canJoin: true, joinBlockedBy: null, ...viewer },
  };
}

const liked: LikeResponse = { energy: 20, newLikerBonus: true, sharerEnergy: 60, teamEnergy: 60 };

/** A promise the test settles when it wants: the request is "in flight" until then. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const button = (name: string) => screen.getByRole('button', { name });

beforeEach(() => {
  resetTaroStub();
  for (const fn of Object.values(api)) fn.mockReset();
  api.me.mockResolvedValue(me);
});
afterEach(cleanup);

describe('share landing', () => {
  beforeEach(() => {
    routerParams.token = 'tok';
  });

  it('before the tap shows the sharer’s energy, progress to the next reward and the helpers', async () => {
    api.shareLanding.mockResolvedValue(landing());
    render(<SharePage />);
    await screen.findByText(S.share.helpersCount(2));
    expect(screen.getByText(S.share.sharerEnergy)).toBeTruthy();
    expect(screen.getByText(S.home.nextMilestone(60, 100))).toBeTruthy();
    expect(screen.getByText(S.home.endsIn)).toBeTruthy();
  });

  it('a double tap on 为 TA 助力 sends one like', async () => {
    api.shareLanding.mockResolvedValue(landing());
    const inFlight = deferred<LikeResponse>();
    api.like.mockReturnValue(inFlight.promise);
    render(<SharePage />);
    const like = await screen.findByRole('button', { name: S.share.like });
    // Both taps land before React re-renders the button as busy, as two quick taps do on a phone.
    act(() => {
      fireEvent.click(like);
      fireEvent.click(like);
    });
    await act(async () => {
      inFlight.resolve(liked);
      await inFlight.promise;
    });
    expect(api.like).toHaveBeenCalledTimes(1);
    await screen.findByText(S.share.likeDone);
  });

  it('a refusal shows once, though both the tap and the refreshed page know it', async () => {
    api.shareLanding.mockResolvedValueOnce(landing()).mockResolvedValue(landing({ canLike: false, likeBlockedBy: 'DAILY_LIKE_CAP' }));
    api.like.mockRejectedValue(new ApiError('DAILY_LIKE_CAP', 'cap', 409));
    render(<SharePage />);
    fireEvent.click(await screen.findByRole('button', { name: S.share.like }));
    await waitFor(() => expect(api.shareLanding).toHaveBeenCalledTimes(2));
    expect(await screen.findAllByText(ERROR_MESSAGES.DAILY_LIKE_CAP)).toHaveLength(1);
    expect(screen.queryByRole('button', { name: S.share.like })).toBeNull();
  });

  it('a full team is said once when the join is refused, and building one’s own is offered', async () => {
    api.shareLanding
      .mockResolvedValueOnce(landing({ canLike: false, likeBlockedBy: 'ALREADY_LIKED' }))
      .mockResolvedValue(landing({ canLike: false, likeBlockedBy: 'ALREADY_LIKED', canJoin: false, joinBlockedBy: 'TEAM_FULL' }));
    api.join.mockRejectedValue(new ApiError('TEAM_FULL', 'full', 409));
    render(<SharePage />);
    fireEvent.click(await screen.findByRole('button', { name: S.share.join }));
    await waitFor(() => expect(api.shareLanding).toHaveBeenCalledTimes(2));
    expect(await screen.findAllByText(ERROR_MESSAGES.TEAM_FULL)).toHaveLength(1);
    expect(button(S.share.next['create-team'])).toBeTruthy();
  });

  it('a failed like keeps the landing, its error stays under the button and clears on retry', async () => {
    api.shareLanding.mockResolvedValueOnce(landing()).mockRejectedValueOnce(new ApiError('NETWORK', 'offline', 0)).mockResolvedValue(landing({ canLike: false, likeBlockedBy: 'ALREADY_LIKED' }));
    api.like.mockRejectedValueOnce(new ApiError('NETWORK', 'offline', 0)).mockResolvedValueOnce(liked);
    render(<SharePage />);
    fireEvent.click(await screen.findByRole('button', { name: S.share.like }));
    await screen.findByText(S.common.networkError);
    // Still the landing: the sharer, the helpers, the button to try again.
    expect(screen.getByText(S.share.helpersCount(2))).toBeTruthy();
    expect(screen.queryByText(S.common.retry)).toBeNull();
    fireEvent.click(button(S.share.like));
    await screen.findByText(S.share.likeDone);
    expect(screen.queryByText(S.common.networkError)).toBeNull();
  });

  it('after the like, a friend without a team is offered joining and building a team, never "我也要参加"', async () => {
    api.shareLanding.mockResolvedValueOnce(landing()).mockResolvedValue(landing({ canLike: false, likeBlockedBy: 'ALREADY_LIKED' }));
    api.like.mockResolvedValue(liked);
    render(<SharePage />);
    fireEvent.click(await screen.findByRole('button', { name: S.share.like }));
    await screen.findByText(S.share.likeDone);
    expect(button(S.share.join)).toBeTruthy();
    expect(button(S.share.next['create-team'])).toBeTruthy();
    expect(screen.queryByText('我也要参加')).toBeNull();
  });

  it('a teammate is offered their team and more invitations', async () => {
    api.shareLanding.mockResolvedValue(landing({ teamId: 't', canLike: false, likeBlockedBy: 'ALREADY_LIKED', canJoin: false, joinBlockedBy: 'ALREADY_IN_TEAM' }));
    render(<SharePage />);
    fireEvent.click(await screen.findByRole('button', { name: S.share.next['my-team'] }));
    expect(navigations).toEqual(['/pages/team/index?id=t']);
    expect(button(S.share.next.invite)).toBeTruthy();
    expect(screen.queryByRole('button', { name: S.share.join })).toBeNull();
  });

  it('the sharer on their own card reads it as theirs and is offered to keep inviting', async () => {
    api.shareLanding.mockResolvedValue(landing({ isSharer: true, teamId: 't', canLike: false, likeBlockedBy: 'SELF_LIKE', canJoin: false }));
    render(<SharePage />);
    await screen.findByText(S.share.yourOwnShare);
    expect(screen.getByText(S.home.helpersCount(2))).toBeTruthy();
    expect(button(S.share.next.invite)).toBeTruthy();
    expect(button(S.share.next['my-team'])).toBeTruthy();
  });

  it('a friend who joins sees the success and is offered the profile prompt', async () => {
    api.shareLanding.mockResolvedValue(landing({ canLike: false, likeBlockedBy: 'ALREADY_LIKED' }));
    api.join.mockResolvedValue({ id: 't' } as Team);
    render(<SharePage />);
    await waitFor(() => expect(api.me).toHaveBeenCalled());
    fireEvent.click(await screen.findByRole('button', { name: S.share.join }));
    await screen.findByText(S.share.joined);
    expect(screen.getByText(S.profile.title)).toBeTruthy();
    fireEvent.click(button(S.profile.skip));
    expect(screen.queryByText(S.profile.title)).toBeNull();
    expect(button(S.share.next['my-team'])).toBeTruthy();
  });

  it('a dead link offers the way home, not a retry', async () => {
    api.shareLanding.mockRejectedValue(new ApiError('SHARE_NOT_FOUND', 'gone', 404));
    render(<SharePage />);
    await screen.findByText(ERROR_MESSAGES.SHARE_NOT_FOUND);
    expect(screen.queryByText(S.common.retry)).toBeNull();
    expect(button(S.common.backHome)).toBeTruthy();
  });
});

describe('home', () => {
  const detail: CampaignDetail = {
    ...campaign,
    description: '',
    // Home reads none of the rules.
    rules: {} as CampaignDetail['rules'],
    me: { energy: 40, likesLeftToday: 20, team: null },
  };
  const likes: MyLikesResponse = {
    helpers: { count: 3, recent: [{ id: 'b', nickname: 'Bob', avatarUrl: null }, { id: 'c', nickname: '安安', avatarUrl: null }] },
    helped: { count: 1, recent: [{ id: 'x', nickname: '小明', avatarUrl: null }] },
  };

  beforeEach(() => {
    api.campaigns.mockResolvedValue({ campaigns: [campaign] });
    api.campaign.mockResolvedValue(detail);
    api.myLikes.mockResolvedValue(likes);
    api.me.mockResolvedValue({ ...me, profileCompleted: true });
  });

  it('lists who helped me and whom I helped', async () => {
    render(<HomePage />);
    await screen.findByText(S.home.helpersCount(3));
    expect(screen.getByText(S.home.helpedCount(1))).toBeTruthy();
    expect(screen.getByText('B')).toBeTruthy();
  });

  it('explains the team-name limit with a counter and never sends a name it would cut', async () => {
    render(<HomePage />);
    const input = await screen.findByPlaceholderText(S.home.teamNamePlaceholder);
    fireEvent.change(input, { target: { value: '一二三四五六七八九十一二三四五六七八九十多' } });
    expect(screen.getByText('21/20')).toBeTruthy();
    expect(screen.getByText(S.home.teamNameTooLong(20))).toBeTruthy();
    fireEvent.click(button(S.home.createTeam));
    expect(api.createTeam).not.toHaveBeenCalled();
    expect((input as HTMLInputElement).value).toHaveLength(21);
  });

  it('a double tap on 创建队伍 creates one team', async () => {
    const inFlight = deferred<Team>();
    api.createTeam.mockReturnValue(inFlight.promise);
    render(<HomePage />);
    fireEvent.change(await screen.findByPlaceholderText(S.home.teamNamePlaceholder), { target: { value: '冲鸭队' } });
    const create = button(S.home.createTeam);
    act(() => {
      fireEvent.click(create);
      fireEvent.click(create);
    });
    await act(async () => {
      inFlight.resolve({ id: 't' } as Team);
      await inFlight.promise;
    });
    expect(api.createTeam).toHaveBeenCalledTimes(1);
    expect(api.createTeam).toHaveBeenCalledWith('c', { name: '冲鸭队' });
  });
});

describe('team page', () => {
  const team: Team = {
    id: 't',
    campaignId: 'c',
    name: '冲鸭队',
    namePending: false,
    captainId: 'v',
    energy: 40,
    rank: 2,
    maxMembers: 5,
    seatsLeft: 3,
    members: [
      { id: 'v', nickname: 'Alice', avatarUrl: null, role: 'captain', energy: 40, joinedAt: '2030-01-01T00:00:00Z' },
      { id: 'b', nickname: 'Bob', avatarUrl: null, role: 'member', energy: 0, joinedAt: '2030-01-01T00:00:00Z' },
    ],
    createdAt: '2030-01-01T00:00:00Z',
  };

  it('draws every seat, the empty ones as "+" that invite, with 还差 N 人 up front', async () => {
    routerParams.id = 't';
    api.team.mockResolvedValue(team);
    api.me.mockResolvedValue({ ...me, profileCompleted: true });
    api.createShare.mockResolvedValue({ token: 'x', path: '/pages/share/index?token=x', title: 'Alice 邀你加入队伍' });
    render(<TeamPage />);
    await screen.findByText(S.team.seatsLeft(3));
    const plus = await screen.findAllByRole('button', { name: '+' });
    expect(plus).toHaveLength(3);
    fireEvent.click(plus[0]!);
    await screen.findByText(S.card.copiedHint);
    expect(screen.getByText('Alice 邀你加入队伍')).toBeTruthy();
  });

  it('without an id offers the way home and no retry', async () => {
    render(<TeamPage />);
    await screen.findByText(S.team.notFound);
    expect(screen.queryByText(S.common.retry)).toBeNull();
    expect(button(S.common.backHome)).toBeTruthy();
    expect(api.team).not.toHaveBeenCalled();
  });
});
