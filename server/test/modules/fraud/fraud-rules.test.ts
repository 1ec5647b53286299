import { describe, expect, it } from 'vitest';
import { findBursts, findLikeRings, findSharedIdentities, findTeamRings } from '../../../src/modules/fraud/fraud-rules.js';

const T = new Date('2026-11-11T04:00:00Z').getTime();

describe('like rings', () => {
  // Background: 10 ordinary friends each liking two different sharers once.
  const background = Array.from({ length: 10 }, (_, i) => [
    { likerId: `f${i}`, sharerId: `s${i}`, likes: 1 },
    { likerId: `f${i}`, sharerId: `s${(i + 1) % 10}`, likes: 1 },
  ]).flat();

  it('flags every member of a group that likes only itself, far above the base rate', () => {
    const ring = ['a', 'b', 'c'].flatMap((x) => ['a', 'b', 'c'].filter((y) => y !== x).map((y) => ({ likerId: x, sharerId: y, likes: 6 })));
    const flagged = findLikeRings([...background, ...ring]);
    expect(flagged.map((s) => s.userId)).toEqual(['a', 'b', 'c']);
    // 26 pairs: 20 of weight 1 and 6 of weight 6 → base 56/26; inside 36 over 6 pairs = 6 per pair.
    expect(flagged[0]!.evidence).toMatchObject({ members: ['a', 'b', 'c'], insideLikes: 36, insideShare: 1, rateOverBase: 2.79 });
  });

  it('leaves a mutual pair alone, and a group whose likes mostly go outside it', () => {
    const pair = [
      { likerId: 'a', sharerId: 'b', likes: 9 },
      { likerId: 'b', sharerId: 'a', likes: 9 },
    ];
    expect(findLikeRings([...background, ...pair])).toEqual([]);
    const open = ['a', 'b', 'c'].flatMap((x) => [
      ...['a', 'b', 'c'].filter((y) => y !== x).map((y) => ({ likerId: x, sharerId: y, likes: 2 })),
      ...Array.from({ length: 5 }, (_, k) => ({ likerId: x, sharerId: `s${k}`, likes: 4 })),
    ]);
    expect(findLikeRings([...background, ...open])).toEqual([]);
  });
});

describe('team rings', () => {
  it('flags teams whose likes nearly all go to teammates, once they gave enough', () => {
    const flagged = findTeamRings([
      { teamId: 't1', memberIds: ['b', 'a'], given: 20, toTeammates: 19 },
      { teamId: 't2', memberIds: ['c', 'd'], given: 20, toTeammates: 10 },
      { teamId: 't3', memberIds: ['e', 'f'], given: 5, toTeammates: 5 },
    ]);
    expect(flagged.map((s) => [s.userId, s.evidence.teamId])).toEqual([
      ['a', 't1'],
      ['b', 't1'],
    ]);
  });
});

describe('bursts', () => {
  it('flags a sharer with 30 likes inside 10 minutes, not one with 30 spread over hours', () => {
    const burst = Array.from({ length: 30 }, (_, i) => ({ sharerId: 'hot', at: new Date(T + i * 15_000) }));
    const spread = Array.from({ length: 30 }, (_, i) => ({ sharerId: 'calm', at: new Date(T + i * 60 * 60_000) }));
    const flagged = findBursts([...burst, ...spread]);
    expect(flagged).toEqual([
      { kind: 'burst', userId: 'hot', evidence: { likes: 30, windowMinutes: 10, from: new Date(T).toISOString(), to: new Date(T + 29 * 15_000).toISOString() } },
    ]);
  });

  it('counts a window as [t, t + 10 min): the 30th like exactly 10 minutes after the first is another window', () => {
    const likes = Array.from({ length: 30 }, (_, i) => ({ sharerId: 'edge', at: new Date(T + (i === 29 ? 600_000 : i * 1000)) }));
    expect(findBursts(likes)).toEqual([]);
  });
});

describe('accounts behind one device or IP', () => {
  it('flags every account of a device shared by more than 3, and of an IP shared by more than 20', () => {
    const device = ['u1', 'u2', 'u3', 'u4'].map((userId) => ({ userId, ip: '10.0.0.1', deviceId: 'phone-1' }));
    const family = ['v1', 'v2'].map((userId) => ({ userId, ip: '10.0.0.2', deviceId: 'phone-2' }));
    const office = Array.from({ length: 21 }, (_, i) => ({ userId: `w${String(i).padStart(2, '0')}`, ip: '10.9.9.9', deviceId: null }));
    const flagged = findSharedIdentities([...device, ...device, ...family, ...office]);
    expect(flagged.filter((s) => s.kind === 'shared_device').map((s) => s.userId)).toEqual(['u1', 'u2', 'u3', 'u4']);
    expect(flagged.filter((s) => s.kind === 'shared_ip')).toHaveLength(21);
    expect(flagged[0]!.evidence).toEqual({ deviceId: 'phone-1', accounts: 4 });
  });

  it('never clusters on the loopback address (a local proxy or tool, not a client)', () => {
    for (const ip of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      const logins = Array.from({ length: 30 }, (_, i) => ({ userId: `u${i}`, ip, deviceId: null }));
      expect(findSharedIdentities(logins)).toEqual([]);
    }
  });
});
