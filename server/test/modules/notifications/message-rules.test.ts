import { describe, expect, it } from 'vitest';
import { batchWindowEnd, chinaTime, fillHoles, minutesLeft, reminderDueAt, retryDelayMs, sendFailure, yuan } from '../../../src/modules/notifications/message-rules.js';

const MIN = 60_000;
const at = (iso: string) => new Date(iso);

describe('message rules', () => {
  it('reminds at the lead time, but never before half the window', () => {
    const opened = at('2026-11-11T00:00:00Z');
    expect(reminderDueAt(opened, at('2026-11-12T00:00:00Z'), 60 * MIN)).toEqual(at('2026-11-11T23:00:00Z'));
    expect(reminderDueAt(opened, at('2026-11-11T00:10:00Z'), 60 * MIN)).toEqual(at('2026-11-11T00:05:00Z'));
  });

  it('says whole minutes left, rounded up and at least one', () => {
    const end = at('2026-11-11T01:00:00Z');
    expect(minutesLeft(at('2026-11-11T00:00:00Z'), end)).toBe(60);
    expect(minutesLeft(at('2026-11-11T00:59:59Z'), end)).toBe(1);
    expect(minutesLeft(end, end)).toBe(1);
  });

  it('puts every moment of a window in the window every instance agrees on', () => {
    expect(batchWindowEnd(at('2026-11-11T00:29:59Z'), 30 * MIN)).toEqual(at('2026-11-11T00:00:00Z'));
    expect(batchWindowEnd(at('2026-11-11T00:30:00Z'), 30 * MIN)).toEqual(at('2026-11-11T00:30:00Z'));
  });

  it('backs off 30 s, 1 min, 2 min… up to an hour', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(20)).toBe(3600_000);
  });

  it('retries the unreachable and busy platform, gives up on its refusals', () => {
    expect(sendFailure({ kind: 'unreachable' })).toEqual({ outcome: 'retry', keepsCredit: true });
    expect(sendFailure({ kind: 'api', errcode: 45009, busy: true })).toEqual({ outcome: 'retry', keepsCredit: true });
    expect(sendFailure({ kind: 'api', errcode: 43101, busy: false })).toEqual({ outcome: 'refused', keepsCredit: false });
    expect(sendFailure({ kind: 'api', errcode: 47003, busy: false })).toEqual({ outcome: 'refused', keepsCredit: true });
  });

  it('writes money, China time and holes as the templates show them', () => {
    expect(yuan(1990)).toBe('19.90元');
    expect(chinaTime(at('2026-11-11T16:30:00Z'))).toBe('2026-11-12 00:30');
    expect(fillHoles('还差{missing}人，{minutesLeft}分钟', { missing: 2, minutesLeft: 15 })).toBe('还差2人，15分钟');
    expect(fillHoles('{unknown}!', {})).toBe('!');
  });
});
