import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import type { RateLimitConfig } from '../config.js';
import { AppError } from '../lib/errors.js';
import { memoryCounter, redisCounter, type Counter } from '../lib/rate-counter.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Named budgets a route puts in its `config.rateLimit`; every write under /v1 gets `writes` unless it says otherwise. */
    rateLimits: { login: RateLimitOptions; writes: RateLimitOptions; opens: RateLimitOptions };
  }
}

/**
 * A budget's options carry its name: every route naming the same budget draws from one counter,
 * instead of @fastify/rate-limit's default of one counter per route (20 write routes would
 * otherwise give 20 budgets).
 */
type Budgeted = RateLimitOptions & { budget?: string };

const WINDOW_MS = 60_000;

/** `u:<user>|ip:<address>`: the writes budget counts both, so neither many users on one address nor one user on many addresses gets past. */
function userAndAddress(request: FastifyRequest): string {
  return `u:${request.userId ?? ''}|ip:${request.ip}`;
}

/** The @fastify/rate-limit store interface, over one shared counter. */
class BudgetStore {
  constructor(
    private readonly counter: Counter,
    private readonly limits: RateLimitConfig,
    private readonly prefix: string,
  ) {}

  incr(key: string, cb: (err: Error | null, res?: { current: number; ttl: number }) => void, timeWindow: number, max: number) {
    this.count(key, timeWindow, max).then((res) => cb(null, res), (err: Error) => cb(err));
  }

  private async count(key: string, timeWindow: number, max: number): Promise<{ current: number; ttl: number }> {
    if (this.prefix !== 'writes:') return this.counter.hit(this.prefix + key, timeWindow);
    const [, user, ip] = /^u:(.*)\|ip:(.*)$/.exec(key) ?? [];
    const byIp = await this.counter.hit(`writes:ip:${ip}`, timeWindow);
    // The address's budget is larger (a NAT shares one); when it is spent, answer as if the user's were.
    if (byIp.current > this.limits.writesPerIpPerMinute) return { current: max + 1, ttl: byIp.ttl };
    if (!user) return { current: 0, ttl: byIp.ttl };
    return this.counter.hit(`writes:u:${user}`, timeWindow);
  }

  child(routeOptions: Budgeted & { routeInfo: { method?: string; url?: string } }) {
    const budget = routeOptions.budget ?? `${routeOptions.routeInfo.method}${routeOptions.routeInfo.url}`;
    return new BudgetStore(this.counter, this.limits, `${budget}:`);
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Per-user and per-address limits over all writes together, per-address login and anonymous card
 * opens; counters in Redis when `REDIS_URL` is set (shared by every instance), else in memory.
 * A limited client gets 429 RATE_LIMITED with `retry-after`.
 */
async function limits(app: FastifyInstance, opts: RateLimitConfig) {
  const redis = opts.redisUrl ? new Redis(opts.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false }) : null;
  if (redis) {
    redis.on('error', (err) => app.log.warn({ err }, 'rate-limit store (Redis) unavailable'));
    app.addHook('onClose', async () => {
      redis.disconnect();
    });
  }
  const counter = redis ? redisCounter(redis) : memoryCounter();

  const budgets = {
    login: { budget: 'login', max: opts.loginPerMinute, timeWindow: WINDOW_MS },
    writes: { budget: 'writes', max: opts.writesPerMinute, timeWindow: WINDOW_MS, keyGenerator: userAndAddress },
    opens: { budget: 'opens', max: opts.opensPerMinute, timeWindow: WINDOW_MS, keyGenerator: (r: FastifyRequest) => r.userId ?? `ip:${r.ip}` },
  } satisfies Record<string, Budgeted>;
  app.decorate('rateLimits', budgets);

  // Before the plugin's own onRoute hook, so a write route that names no budget still gets one.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.url.startsWith('/v1/') && methods.some((m) => WRITE_METHODS.has(m)) && route.config?.rateLimit === undefined) {
      route.config = { ...route.config, rateLimit: budgets.writes };
    }
  });

  await app.register(rateLimit, {
    global: false,
    // After auth, so limits can be per user rather than per shared NAT address.
    hook: 'preHandler',
    store: class {
      constructor() {
        return new BudgetStore(counter, opts, 'global:');
      }
    } as never,
    // A Redis outage must not turn every write into a 500; the in-process limits of the proxy still apply.
    skipOnError: true,
    errorResponseBuilder: (_req, ctx) =>
      new AppError('RATE_LIMITED', `Too many requests; retry in ${Math.ceil(ctx.ttl / 1000)} s`),
  });
}

export default fp(limits, { name: 'rate-limit', dependencies: ['auth'] });
