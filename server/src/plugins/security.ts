import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

export interface SecurityOptions {
  /** Browser origins allowed to call the API; empty keeps it same-origin. */
  corsOrigins: string[];
  /** Hosts of external avatars the pages may show (https only). */
  imageHosts: string[];
}

/**
 * The headers every answer carries: nosniff, no framing, and a content-security policy strict
 * enough for an API yet one the H5 preview and /docs run under (the H5 page's one inline script
 * is allowed by its hash where the page is served; styles may be inline because the Taro runtime
 * writes them). CORS is deliberate: only the configured origins, none by default.
 */
async function security(app: FastifyInstance, opts: SecurityOptions) {
  const headers = helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: cspDirectives(opts.imageHosts),
    },
    frameguard: { action: 'deny' },
    // Avatars and the H5 bundle are read by pages of this origin only.
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  await app.register(cors, {
    origin: opts.corsOrigins.length > 0 ? opts.corsOrigins : false,
    methods: ['GET', 'POST', 'PATCH'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key'],
    exposedHeaders: ['retry-after', 'idempotent-replayed'],
    maxAge: 600,
  });
}

export function cspDirectives(imageHosts: string[], extraScripts: string[] = []): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'script-src': ["'self'", ...extraScripts],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', ...imageHosts.map((h) => `https://${h}`)],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'form-action': ["'self'"],
  };
}

/**
 * The headers helmet sets for these options, worked out once: none depends on the request, and
 * the Fastify wrapper rebuilt helmet's middleware (parsing every directive) on each request, a
 * twentieth of a like's CPU in the API.
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    removeHeader: () => {},
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => {});
  return headers;
}

/** The directives as a header value (for a page that must add its own script hashes). */
export function cspHeader(directives: Record<string, string[]>): string {
  return Object.entries(directives)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ');
}

export default fp(security, { name: 'security' });
