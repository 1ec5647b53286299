import { and, eq, lt, or, sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { Db } from '../../db/client.js';
import { platformTokens } from '../../db/schema/index.js';

/** An access_token and when the platform said it stops working. */
export interface CachedToken {
  accessToken: string;
  expiresAt: Date;
}

/**
 * Where instances share the access_token. `put` is a compare-and-set: it replaces the stored token
 * only if it is still `replacing` (the one the writer saw go bad or run out) or expires sooner than
 * the new one, so an instance that fetched late never overwrites a newer token with an older one.
 */
export interface TokenStore {
  get(appId: string): Promise<CachedToken | null>;
  put(appId: string, token: CachedToken, replacing: string | null): Promise<void>;
  /** Forget the stored token if it is still `accessToken` (the platform refused it). */
  drop(appId: string, accessToken: string): Promise<void>;
}

/** One process only: tests, and a single instance with neither Redis nor a database at hand. */
export function memoryTokenStore(): TokenStore {
  const rows = new Map<string, CachedToken>();
  return {
    get: async (appId) => rows.get(appId) ?? null,
    put: async (appId, token, replacing) => {
      const cur = rows.get(appId);
      if (!cur || cur.accessToken === replacing || cur.expiresAt < token.expiresAt) rows.set(appId, token);
    },
    drop: async (appId, accessToken) => {
      if (rows.get(appId)?.accessToken === accessToken) rows.delete(appId);
    },
  };
}

/** The platform_tokens row, replaced under a WHERE that is the compare-and-set. */
export function dbTokenStore(db: Db): TokenStore {
  return {
    async get(appId) {
      const [row] = await db.select().from(platformTokens).where(eq(platformTokens.appId, appId));
      return row ? { accessToken: row.accessToken, expiresAt: row.expiresAt } : null;
    },
    async put(appId, token, replacing) {
      const stale = replacing
        ? or(eq(platformTokens.accessToken, replacing), lt(platformTokens.expiresAt, token.expiresAt))
        : lt(platformTokens.expiresAt, token.expiresAt);
      await db
        .insert(platformTokens)
        .values({ appId, accessToken: token.accessToken, expiresAt: token.expiresAt, updatedAt: new Date() })
        .onConflictDoUpdate({
          target: platformTokens.appId,
          set: { accessToken: token.accessToken, expiresAt: token.expiresAt, updatedAt: sql`now()` },
          setWhere: stale,
        });
    },
    async drop(appId, accessToken) {
      await db.delete(platformTokens).where(and(eq(platformTokens.appId, appId), eq(platformTokens.accessToken, accessToken)));
    },
  };
}

// KEYS[1] the token key. ARGV: token, expiry ms, replacing ('' for none), ttl ms.
const PUT = `
local cur = redis.call('GET', KEYS[1])
if cur then
  local tok, exp = string.match(cur, '^(.*)|(%d+)$')
  if tok ~= ARGV[3] and tonumber(exp) >= tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[4])
return 1`;
const DROP = `
local cur = redis.call('GET', KEYS[1])
if cur and string.match(cur, '^(.*)|%d+$') == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end
return 0`;

/** One Redis key per app holding `token|expiryMs`, set with the token's own TTL and changed only by the Lua CAS above. */
export function redisTokenStore(redis: Redis, keyPrefix = 'jizan:wechat:token:'): TokenStore {
  const key = (appId: string) => `${keyPrefix}${appId}`;
  return {
    async get(appId) {
      const raw = await redis.get(key(appId));
      const m = raw ? /^(.*)\|(\d+)$/.exec(raw) : null;
      return m ? { accessToken: m[1]!, expiresAt: new Date(Number(m[2])) } : null;
    },
    async put(appId, token, replacing) {
      const exp = token.expiresAt.getTime();
      const ttl = Math.max(1000, exp - Date.now());
      await redis.eval(PUT, 1, key(appId), token.accessToken, String(exp), replacing ?? '', String(ttl));
    },
    async drop(appId, accessToken) {
      await redis.eval(DROP, 1, key(appId), accessToken);
    },
  };
}
