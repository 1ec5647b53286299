import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// How one environment variable is read and refused: config.ts composes these into the Config.

export class ConfigError extends Error {}

export type Env = Record<string, string | undefined>;

/**
 * A secret must be long and not guessable from its shape: 32 spaces, one repeated character or
 * a short pattern repeated have enough characters but almost no entropy. The estimate is the
 * string's length times its per-character Shannon entropy, which a random base64 or hex key of
 * 32 bytes clears easily.
 */
export function secretWeakness(raw: string): string | null {
  if (raw.length < 32) return 'must be at least 32 characters';
  if (raw.trim() !== raw || /\s/.test(raw)) return 'must not contain whitespace';
  const counts = new Map<string, number>();
  for (const ch of raw) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  if (counts.size < 10) return 'must use at least 10 different characters';
  let bitsPerChar = 0;
  for (const n of counts.values()) bitsPerChar -= (n / raw.length) * Math.log2(n / raw.length);
  if (isRepetition(raw)) return 'must not be a short pattern repeated';
  if (bitsPerChar * raw.length < 128) return 'is too predictable; use e.g. `openssl rand -base64 48`';
  return null;
}

/** True when the string is some shorter unit written over and over (`abcabcab…`). */
function isRepetition(raw: string): boolean {
  for (let p = 1; p <= raw.length / 2; p++) {
    let i = p;
    while (i < raw.length && raw[i] === raw[i - p]) i++;
    if (i === raw.length) return true;
  }
  return false;
}

export function strongSecret(name: string, raw: string): string {
  const weakness = secretWeakness(raw);
  if (weakness) throw new ConfigError(`${name} ${weakness}`);
  return raw;
}

/** `off` (default): the socket's address is the client's. A hop count or an address list names the proxies to believe. */
export function trustProxy(raw: string | undefined): false | number | string[] {
  if (raw === undefined || raw === '' || ['off', 'false', '0', 'no'].includes(raw.toLowerCase())) return false;
  if (['true', 'on', 'yes', 'all'].includes(raw.toLowerCase())) {
    throw new ConfigError('JIZAN_TRUST_PROXY cannot trust every hop (any client could then choose its own address); give a hop count or the proxies\' addresses');
  }
  if (/^\d+$/.test(raw)) return Number(raw);
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const a of list) {
    if (!/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(a) && !['loopback', 'linklocal', 'uniquelocal'].includes(a)) {
      throw new ConfigError(`JIZAN_TRUST_PROXY must be off, a hop count or a list of addresses/CIDRs, got "${a}"`);
    }
  }
  return list;
}

export function list(env: Env, name: string): string[] {
  return (env[name] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

export function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
}

export type RequestLog = 'all' | 'errors' | 'off';

export function requestLog(raw: string | undefined): RequestLog {
  if (raw === undefined || raw === '') return 'all';
  if (raw === 'all' || raw === 'errors' || raw === 'off') return raw;
  throw new ConfigError(`JIZAN_REQUEST_LOG must be all, errors or off, got "${raw}"`);
}

export function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be a boolean, got "${raw}"`);
}

/**
 * Outside production a key is generated once and kept in the data folder, so dev sessions
 * survive restarts; production must bring its own.
 */
export function devSecret(dataDir: string): Uint8Array {
  const file = path.join(dataDir, 'dev-secret.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    // `wx`: of two processes booting together on one folder, the second keeps the first one's key.
    try {
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
}

export function redisUrl(raw: string | undefined): string | null {
  if (!raw) return null;
  if (!/^rediss?:\/\//.test(raw)) throw new ConfigError('REDIS_URL must start with redis:// or rediss://');
  return raw;
}


export function corsOrigins(env: Env): string[] {
  const origins = list(env, 'JIZAN_CORS_ORIGINS');
  for (const o of origins) {
    // An exact origin only: a wildcard would let any site's script call the API with a stolen token.
    if (!/^https?:\/\/[^/\s*]+$/.test(o)) throw new ConfigError(`JIZAN_CORS_ORIGINS takes origins like https://example.com, got "${o}"`);
  }
  return origins;
}

export function logFormat(raw: string | undefined, nodeEnv: string): 'pretty' | 'json' {
  if (raw === undefined || raw === '') return nodeEnv === 'development' && process.stdout.isTTY ? 'pretty' : 'json';
  if (raw !== 'pretty' && raw !== 'json') throw new ConfigError(`JIZAN_LOG_FORMAT must be pretty or json, got "${raw}"`);
  if (raw === 'pretty' && nodeEnv === 'production') throw new ConfigError('JIZAN_LOG_FORMAT=pretty is for development; production logs JSON');
  return raw;
}
