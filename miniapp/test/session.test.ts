import { beforeEach, describe, expect, it } from 'vitest';
import { pickCampaign } from '../src/logic/campaign';
import {
  currentDevUser,
  deviceId,
  devUserFromUrl,
  loginCode,
  markProfilePrompted,
  normalizeDevUser,
  shouldOfferProfile,
  tokenStore,
} from '../src/services/session';
import { resetTaroStub } from './stubs/taro';

describe('H5 dev identity', () => {
  beforeEach(() => {
    resetTaroStub();
    window.history.replaceState(null, '', '/');
  });

  it('reads ?as= before the hash or inside the hash route', () => {
    expect(devUserFromUrl('?as=bob', '#/pages/share/index?token=x')).toBe('bob');
    expect(devUserFromUrl('', '#/pages/share/index?token=x&as=Carol')).toBe('carol');
    expect(devUserFromUrl('', '#/pages/home/index')).toBeNull();
  });

  it('makes one device id per install and keeps it across dev users', () => {
    const first = deviceId();
    expect(first).toMatch(/^[A-Za-z0-9]{12,64}$/);
    window.history.replaceState(null, '', '/?as=bob');
    currentDevUser();
    expect(deviceId()).toBe(first);
  });

  it('refuses names that could not be a login code', () => {
    expect(normalizeDevUser('a b')).toBeNull();
    expect(normalizeDevUser('x'.repeat(40))).toBeNull();
    expect(normalizeDevUser(' Alice ')).toBe('alice');
  });

  it('logs in as the default dev user on a first visit, and as ?as= when given', async () => {
    expect(await loginCode()).toBe('dev:demo');
    window.history.replaceState(null, '', '/?as=bob#/pages/home/index');
    expect(await loginCode()).toBe('dev:bob');
    // The choice sticks after navigating away from the ?as= URL.
    window.history.replaceState(null, '', '/#/pages/team/index');
    expect(currentDevUser()).toBe('bob');
  });

  it("keeps each dev user's token apart", () => {
    window.history.replaceState(null, '', '/?as=alice');
    tokenStore.set('alice-token');
    window.history.replaceState(null, '', '/?as=bob');
    expect(tokenStore.get()).toBeNull();
    window.history.replaceState(null, '', '/?as=alice');
    expect(tokenStore.get()).toBe('alice-token');
  });
});

describe('profile prompt', () => {
  beforeEach(() => {
    resetTaroStub();
    window.history.replaceState(null, '', '/?as=alice');
  });
  const me = (profileCompleted: boolean) => ({ id: 'u', nickname: 'n', avatarUrl: null, profileCompleted, pendingNickname: null, avatarPending: false, avatarHidden: false, createdAt: '' });

  it('is offered once per identity, and never once the profile is set', () => {
    expect(shouldOfferProfile(null)).toBe(false);
    expect(shouldOfferProfile(me(true))).toBe(false);
    expect(shouldOfferProfile(me(false))).toBe(true);
    markProfilePrompted();
    expect(shouldOfferProfile(me(false))).toBe(false);
    window.history.replaceState(null, '', '/?as=bob');
    expect(shouldOfferProfile(me(false))).toBe(true);
  });
});

describe('campaign choice', () => {
  const c = (id: string, status: 'live' | 'upcoming' | 'ended') => ({
    id,
    name: id,
    startsAt: '',
    endsAt: '',
    timeZone: 'Asia/Shanghai',
    status,
  });

  it('opens on the first live campaign', () => {
    expect(pickCampaign([c('old', 'ended'), c('soon', 'upcoming'), c('now', 'live')])?.id).toBe('now');
    expect(pickCampaign([c('old', 'ended')])?.id).toBe('old');
    expect(pickCampaign([])).toBeNull();
  });
});
