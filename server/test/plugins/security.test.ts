import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inlineScriptHashes } from '../../src/plugins/h5.js';
import { testApp } from '../helper.js';

const h5Dir = mkdtempSync(path.join(tmpdir(), 'jizan-h5-'));
writeFileSync(path.join(h5Dir, 'index.html'), '<html><head><script>var rem=1;</script><script src="/js/app.js"></script></head></html>');

const ctx = testApp({ config: { JIZAN_H5_DIR: h5Dir, JIZAN_CORS_ORIGINS: 'https://admin.example' } });
const prod = testApp({ config: { JIZAN_DOCS: 'off' } });

describe('security headers', () => {
  it('sends nosniff, no framing and a content-security policy on API answers and errors alike', async () => {
    for (const url of ['/v1/campaigns', '/healthz', '/nope']) {
      const res = await ctx.app.inject({ method: 'GET', url });
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy'], url).toContain("default-src 'self'");
    }
  });

  it('sends nosniff on refusals made before routing (a malformed percent-encoding)', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/campaigns/%zz' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('BAD_REQUEST');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it("allows exactly the H5 page's inline script by its hash", async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    const [hash] = inlineScriptHashes('<script>var rem=1;</script>');
    expect(res.headers['content-security-policy']).toContain(`script-src 'self' ${hash};`);
  });

  it('answers CORS only for configured origins', async () => {
    const ok = await ctx.app.inject({ method: 'OPTIONS', url: '/v1/campaigns', headers: { origin: 'https://admin.example', 'access-control-request-method': 'GET' } });
    expect(ok.headers['access-control-allow-origin']).toBe('https://admin.example');
    const evil = await ctx.app.inject({ method: 'GET', url: '/v1/campaigns', headers: { origin: 'https://evil.example' } });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const byDefault = await prod.app.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://admin.example' } });
    expect(byDefault.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves no /docs or /openapi.json where docs are off (the production default)', async () => {
    for (const url of ['/docs', '/openapi.json', '/docs/json']) {
      const res = await prod.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
    }
    expect(Object.keys(prod.app.swagger().paths ?? {}).length).toBeGreaterThan(10);
    expect((await ctx.app.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
  });
});
