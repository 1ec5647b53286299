import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createShareToken, isGenuineShareToken } from '../../../src/modules/shares/share-token.js';

const secret = new TextEncoder().encode('k'.repeat(40));

describe('share tokens', () => {
  it('are unguessable and verify only with the key that made them', () => {
    const a = createShareToken(secret);
    const b = createShareToken(secret);
    expect(a).not.toBe(b);
    expect(isGenuineShareToken(secret, a)).toBe(true);
    expect(isGenuineShareToken(new TextEncoder().encode('other-key'), a)).toBe(false);
  });

  it('refuses any altered token', () => {
    const token = createShareToken(secret);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: token.length - 1 }), fc.constantFrom(...'ABCxyz019_-'), (i, ch) => {
        fc.pre(token[i] !== ch && token[i] !== '.');
        const forged = token.slice(0, i) + ch + token.slice(i + 1);
        expect(isGenuineShareToken(secret, forged)).toBe(false);
      }),
    );
    expect(isGenuineShareToken(secret, '')).toBe(false);
    expect(isGenuineShareToken(secret, 'x'.repeat(5000))).toBe(false);
  });
});
