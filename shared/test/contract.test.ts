import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeForStatus, ERRORS, sharePagePath, SHARE_PAGE } from '../src/index.js';

describe('the shared contract', () => {
  it('gives every error code a client or server error status, never a success', () => {
    for (const [code, status] of Object.entries(ERRORS)) {
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
    }
  });

  it('names a failure that came without a code by a code of its own status class', () => {
    fc.assert(
      fc.property(fc.integer({ min: 400, max: 599 }), (status) => {
        expect(Math.floor(ERRORS[codeForStatus(status)] / 100)).toBe(Math.floor(status / 100));
      }),
    );
    for (const status of [401, 404, 413, 415, 429, 503]) expect(ERRORS[codeForStatus(status)], String(status)).toBe(status);
    expect(codeForStatus(502)).toBe('SERVICE_UNAVAILABLE');
  });

  it('builds a share page path whose query carries the token back unchanged', () => {
    const token = 'abc_DEF-123.xyz';
    const path = sharePagePath(token);
    expect(path.startsWith(`/${SHARE_PAGE}?`)).toBe(true);
    expect(new URLSearchParams(path.split('?')[1]).get('token')).toBe(token);
  });
});
