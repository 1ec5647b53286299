import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { cspDirectives, cspHeader } from './security.js';

const BUILDING_PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><meta http-equiv="refresh" content="5">
<title>集赞 · 正在准备预览</title></head><body style="font-family:sans-serif;padding:2em;text-align:center">
<h2>集赞预览正在构建…</h2><p>The H5 preview of the mini-program is being built; this page reloads by itself.</p>
<p>The API is already up: <a href="/docs">/docs</a></p></body></html>`;

/**
 * Serves the mini-program's H5 build at `/`. The build may finish after the server starts (the
 * first `pnpm start` builds it alongside), so the folder is looked at on each request to `/`.
 */
async function h5(app: FastifyInstance, opts: { dir: string; imageHosts: string[] }) {
  mkdirSync(opts.dir, { recursive: true });
  await app.register(fastifyStatic, { root: opts.dir, index: false, wildcard: true });
  app.get('/', { schema: { hide: true } }, async (_request, reply) => {
    const index = path.join(opts.dir, 'index.html');
    if (existsSync(index)) {
      const csp = cspHeader(cspDirectives(opts.imageHosts, inlineScriptHashes(readFileSync(index, 'utf8'))));
      return reply.header('cache-control', 'no-cache').header('content-security-policy', csp).sendFile('index.html');
    }
    return reply.type('text/html; charset=utf-8').send(BUILDING_PAGE);
  });
}

/** CSP hashes of the page's inline scripts (Taro's root font-size script), so exactly those run. */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1] ?? '').digest('base64')}'`,
  );
}

export default fp(h5, { name: 'h5' });
