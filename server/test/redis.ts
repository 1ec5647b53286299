import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis the tests share (JIZAN_TEST_REDIS_URL, or the local one). */
export const TEST_REDIS_URL = process.env.JIZAN_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

export async function redisReachable(url = TEST_REDIS_URL): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    await r.connect();
    await r.ping();
    return true;
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/** A key namespace of its own for one test file, so files running in parallel never see each other's boards. */
export function boardPrefix(): string {
  return `jizan:test:${randomBytes(6).toString('hex')}:`;
}

/** A plain client for a test to look at (or tamper with) the boards, and to delete its keys afterwards. */
export function testRedis(): Redis & { dropPrefix(prefix: string): Promise<void> } {
  const r = new Redis(TEST_REDIS_URL) as Redis & { dropPrefix(prefix: string): Promise<void> };
  r.dropPrefix = async (prefix) => {
    for await (const keys of r.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await r.del(...keys);
    }
  };
  return r;
}
