import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const ADMIN_UI_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../admin-ui');

/**
 * The operators' dashboard at `/admin/` (read-only but for the rewards review's release and
 * void): three static files that call the admin API, plus Chart.js from node_modules (never a
 * CDN). Encapsulated, so its static server does not clash with the H5 one.
 */
export default async function adminUi(app: FastifyInstance) {
  const chartJs = readFileSync(path.join(path.dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js'));
  await app.register(fastifyStatic, { root: ADMIN_UI_DIR, prefix: '/admin/', decorateReply: false, wildcard: false, index: 'index.html' });
  app.get('/admin/vendor/chart.umd.min.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').send(chartJs),
  );
}
