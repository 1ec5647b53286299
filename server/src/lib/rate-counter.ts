import type { Redis } from 'ioredis';

/** A fixed-window counter: `hit` counts one request under `key` and says how many the window holds and when it ends. */
export interface Counter {
  hit(key: string, windowMs: number): Promise<{ current: number; ttl: number }>;
}

const MEMORY_PRUNE_AT = 50_000;

/** This process only: the embedded default. */
export function memoryCounter(now: () => number = Date.now): Counter {
  const windows = new Map<string, { count: number; endsAt: number }>();
  return {
    async hit(key, windowMs) {
      const t = now();
      if (windows.size > MEMORY_PRUNE_AT) for (const [k, w] of windows) if (w.endsAt <= t) windows.delete(k);
      let w = windows.get(key);
      if (!w || w.endsAt <= t) {
        w = { count: 0, endsAt: t + windowMs };
        windows.set(key, w);
      }
      w.count += 1;
      return { current: w.count, ttl: w.endsAt - t };
    },
  };
}

// INCR and the window's expiry in one step, so two instances counting at once agree.
const HIT = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {current, ttl}`;

/** Shared by every instance using the same Redis. */
export function redisCounter(redis: Redis, prefix = 'jizan:rate:'): Counter {
  return {
    async hit(key, windowMs) {
      const [current, ttl] = (await redis.eval(HIT, 1, prefix + key, windowMs)) as [number, number];
      return { current, ttl };
    },
  };
}
