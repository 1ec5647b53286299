import type { MySubscriptionsResponse } from '@jizan/shared';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => ({ subs: 0, recorded: [] as unknown[], failGet: false, failPost: false }));
const SUBS: MySubscriptionsResponse = {
  templates: [],
  moments: { after_group: ['T-filled', 'T-failed', 'T-remind'], after_claim: ['T-reward'], after_like: [] },
};
vi.mock('../src/services/client', () => ({
  api: {
    mySubscriptions: async () => {
      calls.subs++;
      if (calls.failGet) throw new Error('offline');
      return SUBS;
    },
    recordSubscriptions: async (r: unknown) => {
      if (calls.failPost) throw new Error('offline');
      calls.recorded.push(r);
      return SUBS;
    },
  },
}));

import { askSubscribe, idsToAsk, prefetchSubscriptions, resetSubscriptions, worthRecording } from '../src/logic/subscribe';
import { KIND_ICON, notificationUrl, unreadIds } from '../src/logic/inbox';

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('subscribe asks', () => {
  beforeEach(() => {
    resetSubscriptions();
    Object.assign(calls, { subs: 0, recorded: [], failGet: false, failPost: false });
  });

  it('asks for at most three ids of the moment and records what the H5 sheet answered', async () => {
    await prefetchSubscriptions();
    askSubscribe('after_group');
    await settle();
    expect(calls.recorded).toEqual([
      { errMsg: 'requestSubscribeMessage:ok', 'T-filled': 'accept', 'T-failed': 'accept', 'T-remind': 'accept' },
    ]);
    expect(idsToAsk({ ...SUBS, moments: { ...SUBS.moments, after_like: ['a', 'b', 'c', 'd'] } }, 'after_like')).toEqual(['a', 'b', 'c']);
  });

  it('reads the ids once per launch', async () => {
    await prefetchSubscriptions();
    await prefetchSubscriptions();
    askSubscribe('after_claim');
    askSubscribe('after_claim');
    await settle();
    expect(calls.subs).toBe(1);
    expect(calls.recorded).toHaveLength(2);
  });

  it('asks nothing for a moment with no template, or before the ids are known (and reads them for next time)', async () => {
    await prefetchSubscriptions();
    askSubscribe('after_like');
    await settle();
    expect(calls.recorded).toEqual([]);

    resetSubscriptions();
    calls.subs = 0;
    askSubscribe('after_group');
    await settle();
    expect(calls.recorded).toEqual([]);
    expect(calls.subs).toBe(1);
    askSubscribe('after_group');
    await settle();
    expect(calls.recorded).toHaveLength(1);
  });

  it('is silent when the server cannot be reached, and tries the read again later', async () => {
    calls.failGet = true;
    await prefetchSubscriptions();
    expect(() => askSubscribe('after_group')).not.toThrow();
    calls.failGet = false;
    await prefetchSubscriptions();
    calls.failPost = true;
    expect(() => askSubscribe('after_group')).not.toThrow();
    await settle();
    expect(calls.recorded).toEqual([]);
  });

  it('records a sheet only when it answered for a template asked for', () => {
    expect(worthRecording({ errMsg: 'requestSubscribeMessage:ok', A: 'reject' }, ['A'])).toBe(true);
    expect(worthRecording({ errMsg: 'requestSubscribeMessage:fail cancel' }, ['A'])).toBe(false);
  });
});

describe('inbox helpers', () => {
  it('marks only the unread ones, and opens a message page as an absolute path', () => {
    expect(unreadIds([{ id: '1', readAt: null }, { id: '2', readAt: '2026-12-07T00:00:00Z' }, { id: '3', readAt: null }])).toEqual(['1', '3']);
    expect(notificationUrl('subpackages/groupbuy/group/index?id=9')).toBe('/subpackages/groupbuy/group/index?id=9');
    expect(notificationUrl('/pages/home/index')).toBe('/pages/home/index');
    expect(notificationUrl(null)).toBeNull();
    expect(KIND_ICON.group_succeeded).toBeTruthy();
  });
});
