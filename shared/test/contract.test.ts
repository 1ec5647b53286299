import { describe, expect, it } from 'vitest';
import { ERRORS, sharePagePath, SHARE_PAGE } from '../src/index.js';

describe('the shared contract', () => {
  it('gives every error code a client or server error status, never a success', () => {
    for (const [code, status] of Object.entries(ERRORS)) {
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
    }
  });

  it('builds a share page path whose query carries the token back unchanged', () => {
    const token = 'abc_DEF-123.xyz';
    const path = sharePagePath(token);
    expect(path.startsWith(`/${SHARE_PAGE}?`)).toBe(true);
    expect(new URLSearchParams(path.split('?')[1]).get('token')).toBe(token);
  });
});
