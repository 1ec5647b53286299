import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/lib/cursor.js';

describe('ledger cursors', () => {
  it('round-trip ids and refuse anything the server did not issue', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 50 }), (id) => {
        expect(decodeCursor(encodeCursor(id))).toBe(id);
      }),
    );
    expect(() => decodeCursor('bm90LWEtY3Vyc29y')).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }));
  });
});
