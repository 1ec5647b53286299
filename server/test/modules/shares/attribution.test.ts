import { describe, expect, it } from 'vitest';
import { shouldAttribute } from '../../../src/modules/shares/attribution.js';

describe('invite attribution', () => {
  const base = { viewerId: 'b', sharerId: 'a', viewerHasInviter: false, viewerHasShared: false };
  it('records the first card a newcomer opens', () => {
    expect(shouldAttribute(base)).toBe(true);
  });
  it('never moves an existing edge, never credits a user for themselves, never claims an active sharer', () => {
    expect(shouldAttribute({ ...base, viewerHasInviter: true })).toBe(false);
    expect(shouldAttribute({ ...base, viewerId: 'a' })).toBe(false);
    expect(shouldAttribute({ ...base, viewerHasShared: true })).toBe(false);
  });
});
