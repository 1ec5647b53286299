import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { errorCode, login, testApp, testConfig } from '../helper.js';

const ctx = testApp();

describe('one error shape, never a stack trace', () => {
  it('answers unknown routes with 404 NOT_FOUND in the error shape', async () => {
    for (const url of ['/v1/nope', '/v2/campaigns', '/v1/campaigns/x/y/z']) {
      const res = await ctx.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
    }
  });

  it('answers broken JSON with 400 INVALID_JSON and nothing about the parser internals', async () => {
    const me = await login(ctx);
    const res = await me.call({ method: 'POST', url: '/v1/shares', payload: '{"campaignId": ', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('INVALID_JSON');
    expect(res.body).not.toMatch(/at .*\.js|node_modules|stack/i);
  });

  it('answers a body over the limit with 413 and an unknown content type with 415', async () => {
    const me = await login(ctx);
    const big = await me.call({
      method: 'PATCH',
      url: '/v1/me',
      payload: JSON.stringify({ nickname: 'x'.repeat(200_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(big.statusCode).toBe(413);
    expect(errorCode(big)).toBe('PAYLOAD_TOO_LARGE');
    const xml = await me.call({ method: 'POST', url: '/v1/shares', payload: '<x/>', headers: { 'content-type': 'application/xml' } });
    expect(xml.statusCode).toBe(415);
    expect(errorCode(xml)).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('hides the details of unexpected failures behind 500 INTERNAL', async () => {
    const app = await buildApp({ config: testConfig(), database: ctx.database, logger: false });
    app.get('/explode', async () => {
      throw new Error('secret internals: password=hunter2');
    });
    const res = await app.inject({ method: 'GET', url: '/explode' });
    await app.close();
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'INTERNAL', message: expect.any(String) } });
    expect(res.body).not.toContain('hunter2');
  }, 10_000);
});
