import { describe, expect, it } from 'vitest';
import { progressToward } from '../src/logic/progress';

describe('progress toward the next milestone', () => {
  const ms = [100, 300, 600];

  it('starts empty, aiming at the first milestone', () => {
    expect(progressToward(0, ms)).toEqual({ energy: 0, from: 0, target: 100, remaining: 100, ratio: 0 });
  });

  it('fills between the previous and the next milestone', () => {
    expect(progressToward(200, ms)).toMatchObject({ from: 100, target: 300, remaining: 100, ratio: 0.5 });
  });

  it('moves on to the next milestone exactly when one is reached', () => {
    expect(progressToward(300, ms)).toMatchObject({ from: 300, target: 600, remaining: 300, ratio: 0 });
  });

  it('shows a full bar and no target once every milestone is reached', () => {
    expect(progressToward(900, ms)).toMatchObject({ target: null, remaining: 0, ratio: 1 });
  });

  it('never shows a bar outside 0..100% for odd inputs or unsorted milestones', () => {
    for (const e of [-5, 0, 1, 99, 100, 101, 599, 600, 10_000, Number.NaN]) {
      const p = progressToward(e, [600, 100, 300, 300]);
      expect(p.ratio).toBeGreaterThanOrEqual(0);
      expect(p.ratio).toBeLessThanOrEqual(1);
      expect(p.remaining).toBeGreaterThanOrEqual(0);
    }
  });

  it('uses the default milestones when tiers are not configured', () => {
    expect(progressToward(50).target).toBe(100);
  });
});
