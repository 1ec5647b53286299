import { describe, expect, it } from 'vitest';
import { campaign, errorCode, login, share, testApp } from '../helper.js';

const ctx = testApp({ config: { JIZAN_RATE_LOGIN_PER_MINUTE: '3', JIZAN_RATE_WRITES_PER_MINUTE: '2' } });

describe('rate limits', () => {
  it('slows down a client hammering login with 429 RATE_LIMITED and a retry hint', async () => {
    const codes = [];
    for (let i = 0; i < 5; i++) {
      const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { code: `dev:r${i}` }, remoteAddress: '127.0.0.9' });
      codes.push(res.statusCode);
      if (res.statusCode === 429) {
        expect(errorCode(res)).toBe('RATE_LIMITED');
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    // Another address is not affected.
    const other = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { code: 'dev:r9' }, remoteAddress: '127.0.0.10' });
    expect(other.statusCode).toBe(200);
  });

  it('limits writes per user, not per address, so friends behind one NAT are not punished together', async () => {
    const c = await campaign(ctx);
    const a = await login(ctx);
    const b = await login(ctx);
    expect((await a.post('/v1/shares', { campaignId: c.id, kind: 'like' })).statusCode).toBe(201);
    expect((await a.post('/v1/shares', { campaignId: c.id, kind: 'like' })).statusCode).toBe(201);
    const third = await a.post('/v1/shares', { campaignId: c.id, kind: 'like' });
    expect(third.statusCode).toBe(429);
    expect(errorCode(third)).toBe('RATE_LIMITED');
    expect(await share(b, c.id)).toBeTruthy();
  });
});
