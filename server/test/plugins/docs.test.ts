import { describe, expect, it } from 'vitest';
import { testApp } from '../helper.js';

const ctx = testApp();

describe('API documentation', () => {
  it('serves OpenAPI 3 generated from the route schemas, and browsable docs', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/v1/auth/login', '/v1/me', '/v1/campaigns', '/v1/campaigns/{id}', '/v1/campaigns/{id}/teams', '/v1/teams/{id}', '/v1/shares', '/v1/shares/{token}', '/v1/shares/{token}/like', '/v1/shares/{token}/join', '/v1/campaigns/{id}/leaderboard', '/v1/me/ledger']) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    expect(doc.paths['/v1/shares/{token}/like'].post.responses).toHaveProperty(['200']);
    const docs = await ctx.app.inject({ method: 'GET', url: '/docs' });
    expect(docs.statusCode).toBeLessThan(400);
  });

  it('documents every admin route with examples, and every admin list as CSV too', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { example?: unknown; schema?: { example?: unknown } }> }>; requestBody?: { content: Record<string, { example?: unknown; schema?: { example?: unknown } }> } }>>;
    };
    const admin = Object.entries(doc.paths).filter(([url]) => url.startsWith('/admin/v1/'));
    for (const url of ['/admin/v1/campaigns', '/admin/v1/campaigns/{id}/overview', '/admin/v1/campaigns/{id}/funnel', '/admin/v1/campaigns/{id}/retention', '/admin/v1/users/{id}', '/admin/v1/users/{id}/invites', '/admin/v1/fraud/flags', '/admin/v1/campaigns/{id}/ledger-audit']) {
      expect(doc.paths[url]?.get, url).toBeDefined();
    }
    const exampled = (m: { example?: unknown; schema?: { example?: unknown } } | undefined) => m?.example !== undefined || m?.schema?.example !== undefined;
    for (const [url, ops] of admin) {
      for (const [method, op] of Object.entries(ops)) {
        const ok = op.responses['200'] ?? op.responses['201'];
        expect(exampled(ok?.content?.['application/json']), `${method} ${url} answer example`).toBe(true);
        if (op.requestBody) expect(exampled(op.requestBody.content['application/json']), `${method} ${url} body example`).toBe(true);
      }
    }
    const lists = admin.filter(([, ops]) => ops.get?.responses['200']?.content?.['text/csv']).map(([url]) => url);
    expect(lists.sort()).toEqual(
      ['/admin/v1/audit', '/admin/v1/campaigns', '/admin/v1/campaigns/{id}/hourly', '/admin/v1/campaigns/{id}/k-factor', '/admin/v1/campaigns/{id}/retention', '/admin/v1/campaigns/{id}/top-inviters', '/admin/v1/fraud/flags', '/admin/v1/orders', '/admin/v1/payment-anomalies', '/admin/v1/users/{id}/ledger', '/admin/v1/users/{id}/likes'].sort(),
    );
  });
});
