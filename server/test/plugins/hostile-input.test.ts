import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueAccessToken } from '../../src/modules/auth/tokens.js';
import { campaign, errorCode, login, share, testApp } from '../helper.js';

const ctx = testApp();

/** The one error shape, with a message short enough that it cannot be quoting a flood of input. */
function expectErrorShape(res: { statusCode: number; body: string }, status: number, code?: string) {
  expect(res.statusCode, res.body.slice(0, 300)).toBe(status);
  const body = JSON.parse(res.body) as { error: { code: string; message: string } };
  expect(body.error.code).toEqual(code ?? expect.any(String));
  expect(typeof body.error.message).toBe('string');
  expect(res.body.length).toBeLessThan(600);
}

describe('inputs the schema lets through but the database would refuse', () => {
  it('refuses ids in spellings other than lowercase-hyphenated with 400, never a 500', async () => {
    const me = await login(ctx);
    const c = await campaign(ctx);
    const spellings = [c.id.toUpperCase(), `{${c.id}}`, c.id.replaceAll('-', ''), `urn:uuid:${c.id}`, ` ${c.id}`];
    for (const id of spellings) {
      expectErrorShape(await me.get(`/v1/campaigns/${encodeURIComponent(id)}`), 400, 'VALIDATION_FAILED');
      expectErrorShape(await me.post(`/v1/campaigns/${encodeURIComponent(id)}/teams`, { name: 'X' }), 400, 'VALIDATION_FAILED');
      expectErrorShape(await me.post('/v1/shares', { campaignId: id, kind: 'like' }), 400, 'VALIDATION_FAILED');
    }
    expect((await me.get(`/v1/campaigns/${c.id}`)).statusCode).toBe(200);
  });

  it('refuses NUL characters anywhere in params, query or body with 400', async () => {
    const me = await login(ctx);
    const c = await campaign(ctx);
    expectErrorShape(await me.call({ method: 'PATCH', url: '/v1/me', payload: { nickname: 'a\u0000b' } }), 400, 'VALIDATION_FAILED');
    expectErrorShape(await me.post(`/v1/campaigns/${c.id}/teams`, { name: 'a\u0000' }), 400, 'VALIDATION_FAILED');
    expectErrorShape(await me.get('/v1/shares/abc%00def'), 400, 'VALIDATION_FAILED');
    expectErrorShape(await me.get(`/v1/me/ledger?campaignId=${c.id}&cursor=a%00`), 400, 'VALIDATION_FAILED');
    expectErrorShape(await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { code: 'dev:\u0000' } }), 400, 'VALIDATION_FAILED');
  });

  it('answers a correctly signed token whose user no longer exists with 401 on every route', async () => {
    const c = await campaign(ctx);
    const sharer = await login(ctx);
    const token = await share(sharer, c.id);
    const ghost = await issueAccessToken(ctx.app.deps.tokens, '00000000-0000-4000-8000-000000000000', ctx.clock.now());
    const auth = { authorization: `Bearer ${ghost.token}` };
    for (const req of [
      { method: 'POST' as const, url: `/v1/shares/${token}/like` },
      { method: 'POST' as const, url: `/v1/shares/${token}/join` },
      { method: 'GET' as const, url: `/v1/shares/${token}` },
      { method: 'POST' as const, url: `/v1/campaigns/${c.id}/teams`, payload: { name: 'ghosts' } },
      { method: 'POST' as const, url: '/v1/shares', payload: { campaignId: c.id, kind: 'like' } },
      { method: 'GET' as const, url: '/v1/me' },
    ]) {
      expectErrorShape(await ctx.app.inject({ ...req, headers: auth }), 401, 'UNAUTHENTICATED');
    }
  });

  it('refuses only the gone user among first requests that arrive together (their lookups share one statement)', async () => {
    // Logged in but never seen on an authenticated route yet: each request is its user's first.
    const users = await Promise.all(Array.from({ length: 12 }, () => login(ctx)));
    const ghost = (await issueAccessToken(ctx.app.deps.tokens, '00000000-0000-4000-8000-00000000000a', ctx.clock.now())).token;
    const tokens = [...users.slice(0, 6).map((u) => u.token), ghost, ...users.slice(6).map((u) => u.token)];
    const answers = await Promise.all(tokens.map((t) => ctx.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${t}` } })));
    expect(answers.map((a) => a.statusCode)).toEqual(tokens.map((t) => (t === ghost ? 401 : 200)));
    expect(answers.filter((a) => a.statusCode === 200).map((a) => (JSON.parse(a.body) as { id: string }).id)).toEqual(users.map((u) => u.id));
  });
});

describe("Fastify's and Node's own refusals, in the one error shape", () => {
  it('answers a too-long parameter with 414 and does not quote it', async () => {
    const me = await login(ctx);
    const res = await me.get(`/v1/shares/${'a'.repeat(5000)}`);
    expectErrorShape(res, 414, 'URI_TOO_LONG');
  });

  it('answers a malformed percent-encoding with 400 BAD_REQUEST', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/shares/%E0%A4%A' });
    expectErrorShape(res, 400, 'BAD_REQUEST');
    expect(res.body).not.toContain('%E0');
  });

  it('answers an unknown route with a long path with 404 quoting at most a short prefix', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: `/nope/${'x'.repeat(20_000)}` });
    expectErrorShape(res, 404, 'NOT_FOUND');
  });

  it('answers a wrong content type with a fixed 415 message that does not echo the header', async () => {
    const me = await login(ctx);
    const res = await me.call({ method: 'POST', url: '/v1/shares', payload: 'x', headers: { 'content-type': `text/${'y'.repeat(3000)}` } });
    expectErrorShape(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  describe('on a listening socket', () => {
    let port = 0;
    beforeAll(async () => {
      await ctx.app.listen({ port: 0, host: '127.0.0.1' });
      port = (ctx.app.server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      ctx.app.server.closeAllConnections();
    });

    function raw(headers: Record<string, string>): Promise<{ statusCode: number; body: string }> {
      return new Promise((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/healthz', headers }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    }

    it('answers oversized headers (Node refuses them before Fastify) with 431 in the error shape', async () => {
      const res = await raw({ 'x-flood': 'z'.repeat(40_000) });
      expectErrorShape(res, 431, 'HEADERS_TOO_LARGE');
    });
  });
});
