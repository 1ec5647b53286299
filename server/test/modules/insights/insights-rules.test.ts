import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, ceilToHour, channelFunnels, cohortRow, floorToHour, funnelRange, funnelStages, kFactor, nestInvites, rate, retentionDue } from '../../../src/modules/insights/insights-rules.js';

describe('rates', () => {
  it('is null with nothing to convert, and a rounded share otherwise', () => {
    expect(rate(3, 0)).toBeNull();
    expect(rate(1, 3)).toBe(0.3333);
    expect(rate(7, 2)).toBe(3.5);
    expect(kFactor(4, 4)).toBe(1);
  });

  it('never goes above 1 when the count is part of its base', () => {
    fc.assert(fc.property(fc.nat(1000), fc.nat(1000), (a, extra) => (rate(a, a + extra) ?? 0) <= 1));
  });
});

describe('funnel', () => {
  it('rounds the range out to whole hours and defaults to the campaign', () => {
    const campaign = { startsAt: new Date('2026-11-10T04:30:00Z'), endsAt: new Date('2026-11-20T00:00:00Z') };
    const r = funnelRange({}, campaign, new Date('2026-11-12T00:00:00Z'));
    expect(r.from.toISOString()).toBe('2026-11-10T04:00:00.000Z');
    expect(r.to.toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(funnelRange({ from: '2026-11-11T05:10:00Z', to: '2026-11-11T05:20:00Z' }, campaign, new Date()).valid).toBe(true);
    expect(funnelRange({ from: '2026-11-12T00:00:00Z', to: '2026-11-11T00:00:00Z' }, campaign, new Date()).valid).toBe(false);
    expect(floorToHour(new Date('2026-11-11T05:59:59Z')).toISOString()).toBe('2026-11-11T05:00:00.000Z');
    expect(ceilToHour(new Date('2026-11-11T05:00:00Z')).toISOString()).toBe('2026-11-11T05:00:00.000Z');
  });

  it('answers card, poster and moments in that order, a channel nothing came by with zeros and null rates', () => {
    const split = channelFunnels({ poster: { opens: 8, openers: 4, liked: 2, joinedTeam: 1, groupBuy: 1, paid: 0 } });
    expect(split.map((c) => c.channel)).toEqual(['card', 'poster', 'moments']);
    expect(split[0]).toEqual({
      channel: 'card',
      opens: 0,
      stages: ['openers', 'liked', 'joinedTeam', 'groupBuy', 'paid'].map((key) => ({ key, count: 0, fromPrevious: null, fromOpeners: null })),
    });
    expect(split[1]!.stages.map((s) => [s.key, s.count, s.fromPrevious, s.fromOpeners])).toEqual([
      ['openers', 4, 0.5, 1],
      ['liked', 2, 0.5, 0.5],
      ['joinedTeam', 1, 0.5, 0.25],
      ['groupBuy', 1, 1, 0.25],
      ['paid', 0, 0, 0],
    ]);
  });

  it('converts each stage from the previous and user stages from the openers', () => {
    const stages = funnelStages({ shares: 10, opens: 40, openers: 20, liked: 15, joinedTeam: 3, groupBuy: 0, paid: 0 });
    expect(stages.map((s) => [s.key, s.fromPrevious, s.fromOpeners])).toEqual([
      ['shares', null, null],
      ['opens', 4, null],
      ['openers', 0.5, 1],
      ['liked', 0.75, 0.75],
      ['joinedTeam', 0.2, 0.15],
      ['groupBuy', 0, 0],
      ['paid', null, 0],
    ]);
  });
});

describe('retention', () => {
  it('counts calendar days across month ends and says when a column is due', () => {
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-11-11', 30)).toBe('2026-12-11');
    expect(retentionDue('2026-11-11', 7, '2026-11-18')).toBe(true);
    expect(retentionDue('2026-11-11', 7, '2026-11-17')).toBe(false);
    expect(cohortRow('2026-11-11', 4, 2, null, null)).toEqual({
      day: '2026-11-11', users: 4, day1: 2, day7: null, day30: null, day1Rate: 0.5, day7Rate: null, day30Rate: null,
    });
  });
});

describe('invite tree', () => {
  const row = (userId: string, inviterId: string | null, depth: number) => ({ userId, nickname: userId, inviterId, depth });

  it('nests rows under their inviters and measures depth and size', () => {
    const t = nestInvites([row('a', null, 0), row('b', 'a', 1), row('c', 'a', 1), row('d', 'b', 2), row('e', 'd', 3)]);
    expect(t?.depth).toBe(3);
    expect(t?.size).toBe(4);
    expect(t?.root.children.map((c) => c.userId)).toEqual(['b', 'c']);
    expect(t?.root.children[0]?.children[0]?.children[0]?.userId).toBe('e');
  });

  it('drops a row whose inviter was cut off, and has no tree without a root', () => {
    expect(nestInvites([row('a', null, 0), row('x', 'gone', 2)])).toEqual({ root: { userId: 'a', nickname: 'a', children: [] }, depth: 0, size: 0 });
    expect(nestInvites([row('b', 'a', 1)])).toBeNull();
  });

  it('holds every row once whatever order they arrive in', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(30), { maxLength: 40 }), (parents) => {
        // Node i+1's inviter is a node with a smaller number, as the attribution rule guarantees.
        const rows = [row('n0', null, 0), ...parents.map((p, i) => row(`n${i + 1}`, `n${p % (i + 1)}`, 0))];
        const depthOf = new Map<string, number>([['n0', 0]]);
        for (const r of rows.slice(1)) depthOf.set(r.userId, depthOf.get(r.inviterId!)! + 1);
        const withDepth = rows.map((r) => ({ ...r, depth: depthOf.get(r.userId)! })).reverse();
        return nestInvites(withDepth)?.size === parents.length;
      }),
    );
  });
});
