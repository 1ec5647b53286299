import { describe, expect, it } from 'vitest';
import { issueAccessToken, verifyAccessToken } from '../../../src/modules/auth/tokens.js';

const secret = new TextEncoder().encode('k'.repeat(40));

describe('access tokens', () => {
  const s = { secret, issuer: 'jizan', audience: 'jizan-miniapp', ttlSeconds: 60 };
  const uid = '6e85a013-16c2-47fb-b7fb-7abc52069241';
  const now = new Date('2026-11-11T00:00:00Z');

  it('round-trip the user id until they expire', async () => {
    const { token, expiresAt } = await issueAccessToken(s, uid, now);
    expect(expiresAt.getTime() - now.getTime()).toBe(60_000);
    await expect(verifyAccessToken(s, token, now)).resolves.toBe(uid);
    await expect(verifyAccessToken(s, token, new Date(now.getTime() + 61_000))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringContaining('expired'),
    });
  });

  it('are refused for another audience, issuer or key', async () => {
    const { token } = await issueAccessToken(s, uid, now);
    await expect(verifyAccessToken({ ...s, audience: 'admin' }, token, now)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verifyAccessToken({ ...s, issuer: 'evil' }, token, now)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verifyAccessToken({ ...s, secret: new TextEncoder().encode('x'.repeat(40)) }, token, now)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuse the unsigned "none" algorithm', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: uid, iss: 'jizan', aud: 'jizan-miniapp', exp: 2e9 })).toString('base64url');
    await expect(verifyAccessToken(s, `${header}.${payload}.`, now)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
