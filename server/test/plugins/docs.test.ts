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
});
