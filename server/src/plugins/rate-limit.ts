import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../lib/errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Per-route limits a route names in its `config.rateLimit`. */
    rateLimits: { login: RateLimitOptions; writes: RateLimitOptions };
  }
}

/** Per-IP login and per-user write limits; a limited client gets 429 RATE_LIMITED in the one error shape. */
async function limits(app: FastifyInstance, opts: { loginPerMinute: number; writesPerMinute: number }) {
  await app.register(rateLimit, {
    global: false,
    // After auth, so limits can be per user rather than per shared NAT address.
    hook: 'preHandler',
    errorResponseBuilder: (_req, ctx) =>
      new AppError('RATE_LIMITED', `Too many requests; retry in ${Math.ceil(ctx.ttl / 1000)} s`),
  });
  app.decorate('rateLimits', {
    login: { max: opts.loginPerMinute, timeWindow: '1 minute' },
    writes: { max: opts.writesPerMinute, timeWindow: '1 minute', keyGenerator: (r) => r.userId ?? r.ip },
  });
}

export default fp(limits, { name: 'rate-limit', dependencies: ['auth'] });
