import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface WechatConfig {
  appId: string;
  appSecret: string;
  /** Overridable so tests can point the exchanger at a fake server on loopback. */
  baseUrl: string;
}

export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  /** `postgres://…` for a real server; null means embedded PGlite under `dataDir`. */
  databaseUrl: string | null;
  /** How long a request may wait on PostgreSQL before it is answered 503 (ignored by embedded PGlite). */
  databaseTimeouts: DatabaseTimeouts;
  /** Connections in the node-postgres pool (`DATABASE_POOL_SIZE`); ignored on PGlite. */
  poolSize: number;
  dataDir: string;
  /** Secret for access tokens and share-token signatures. */
  jwtSecret: Uint8Array;
  jwtIssuer: string;
  jwtAudience: string;
  tokenTtlSeconds: number;
  devLogin: boolean;
  wechat: WechatConfig | null;
  /** Folder of the mini-program's H5 build served at `/`; null serves none. */
  h5Dir: string | null;
  /** `demo` seeds the demo campaign at boot when it is missing. */
  seed: 'demo' | null;
  rateLimit: RateLimitConfig;
  boards: BoardsConfig;
  /** Fastify's `trustProxy`: false, a hop count, or the proxies' addresses/CIDRs — never `true`. */
  trustProxy: false | number | string[];
  /** Stored Idempotency-Keys older than this are deleted by a job; a retry after that runs afresh. */
  idempotencyTtlHours: number;
  /** Browser origins allowed to call the API; empty means same-origin only. */
  corsOrigins: string[];
  /** Serves `/docs` and `/openapi.json` (default: everywhere but production). */
  docs: boolean;
  avatars: AvatarConfig;
  redPackets: RedPacketSettings;
  logLevel: string;
  /** One line per request (`all`), only for answers ≥ 400 (`errors`), or none (`off`). */
  requestLog: RequestLog;
  payment: PaymentConfig;
  groupBuy: GroupBuyConfig;
  jobs: JobsConfig;
  /** JIZAN_ADMIN_KEY: an all-scopes operator key for local use and tests; never in production. */
  adminKey: string | null;
}

export interface DatabaseTimeouts {
  /** Opening a connection, or waiting for a free one in the pool. */
  connectMs: number;
  /** One statement: PostgreSQL cancels it (57014), and the client gives up shortly after if the server is frozen. */
  statementMs: number;
  /** A transaction left idle this long is ended by PostgreSQL, so a stuck request cannot hold its locks. */
  idleInTransactionMs: number;
}

export interface RateLimitConfig {
  loginPerMinute: number;
  /** One budget per user over every write route together. */
  writesPerMinute: number;
  /** One budget per client address over every write route together (NATs share one, so it is larger). */
  writesPerIpPerMinute: number;
  /** Anonymous card opens per client address (each records a row). */
  opensPerMinute: number;
  /** Shares the counters between instances; null keeps them in this process. */
  redisUrl: string | null;
}

export interface BoardsConfig {
  /** Keeps the leaderboards' rankings in Redis sorted sets (REDIS_URL); null ranks on PostgreSQL alone. */
  redisUrl: string | null;
  /** Namespace of the boards' keys (JIZAN_BOARD_KEY_PREFIX), so tests or deployments sharing one Redis never collide. */
  keyPrefix: string;
}

export interface AvatarConfig {
  /** Largest accepted upload. */
  maxBytes: number;
  /** Hosts whose https avatar URLs are accepted as they are (the platform's CDN, say). */
  allowedHosts: string[];
}

export interface PaymentConfig {
  /** `dev` confirms every order as it is placed (never in production); `none` sells nothing. */
  provider: 'dev' | 'none';
  /** HMAC key for payment notifications; null when no provider is configured. */
  notifySecret: Uint8Array | null;
  /** Notifications signed further than this from now are refused, so a captured one cannot be replayed later. */
  notifyToleranceSeconds: number;
}

export interface GroupBuyConfig {
  /** An order unpaid this long after placement is cancelled, releasing its stock and seat. */
  payWindowSeconds: number;
  /** Failed refund attempts before a refund is marked stuck for an operator. */
  refundMaxAttempts: number;
  /** First retry delay of a failed refund; later ones double. */
  refundRetrySeconds: number;
}

export interface JobsConfig {
  /** Runs the background jobs inside the API process (the only way on embedded PGlite). */
  inProcess: boolean;
  intervalMs: number;
}

export interface RedPacketSettings {
  /**
   * Settlement waits this long after a campaign's end, so a like that started just before the end
   * (or on an instance whose clock runs a little behind) has committed before the ledger is read.
   */
  settleGraceSeconds: number;
  /** Attempts at paying one red packet before it is left stuck for an operator. */
  payoutMaxAttempts: number;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

const NODE_ENVS = ['development', 'test', 'production'] as const;

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

function strongSecret(name: string, raw: string): string {
  const weakness = secretWeakness(raw);
  if (weakness) throw new ConfigError(`${name} ${weakness}`);
  return raw;
}

/** `off` (default): the socket's address is the client's. A hop count or an address list names the proxies to believe. */
function trustProxy(raw: string | undefined): false | number | string[] {
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

function list(env: Env, name: string): string[] {
  return (env[name] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
}

export type RequestLog = 'all' | 'errors' | 'off';

function requestLog(raw: string | undefined): RequestLog {
  if (raw === undefined || raw === '') return 'all';
  if (raw === 'all' || raw === 'errors' || raw === 'off') return raw;
  throw new ConfigError(`JIZAN_REQUEST_LOG must be all, errors or off, got "${raw}"`);
}

function flag(env: Env, name: string, fallback: boolean): boolean {
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
function devSecret(dataDir: string): Uint8Array {
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

/**
 * The environment that lifts every rate-limit budget, for the tests and benches that drive one
 * server from one address far above any person's rate (one list, so a new budget reaches them all).
 */
export const UNLIMITED_RATES = {
  JIZAN_RATE_LOGIN_PER_MINUTE: '1000000000',
  JIZAN_RATE_WRITES_PER_MINUTE: '1000000000',
  JIZAN_RATE_WRITES_PER_IP_PER_MINUTE: '1000000000',
  JIZAN_RATE_OPENS_PER_MINUTE: '1000000000',
} as const;

/** The only reader of the environment: everything else receives a typed Config. */
export function loadConfig(env: Env = process.env): Config {
  // One Redis for the shared rate limits and the boards.
  const redis = redisUrl(env.REDIS_URL);
  const rawEnv = env.NODE_ENV || 'development';
  // Fail closed: `Production` or `prod` must not quietly boot a development server with dev logins.
  if (!(NODE_ENVS as readonly string[]).includes(rawEnv)) {
    throw new ConfigError(`NODE_ENV must be one of ${NODE_ENVS.join(', ')}, got "${rawEnv}"`);
  }
  const nodeEnv = rawEnv as Config['env'];
  const dataDir = path.resolve(REPO_ROOT, env.JIZAN_DATA_DIR || '.data');
  const databaseUrl = env.DATABASE_URL || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }

  const secret = env.JWT_SECRET ? strongSecret('JWT_SECRET', env.JWT_SECRET) : undefined;
  if (nodeEnv === 'production' && !secret) {
    throw new ConfigError('JWT_SECRET (at least 32 random characters) is required in production');
  }

  const devLogin = flag(env, 'JIZAN_DEV_LOGIN', nodeEnv !== 'production');
  if (devLogin && nodeEnv === 'production') {
    throw new ConfigError('JIZAN_DEV_LOGIN cannot be on in production: anyone could log in as anyone');
  }

  const appId = env.WECHAT_APP_ID;
  const appSecret = env.WECHAT_APP_SECRET;
  if (Boolean(appId) !== Boolean(appSecret)) {
    throw new ConfigError('WECHAT_APP_ID and WECHAT_APP_SECRET go together');
  }
  if (nodeEnv === 'production' && !appId) {
    throw new ConfigError('WECHAT_APP_ID and WECHAT_APP_SECRET are required in production');
  }

  const h5Raw = env.JIZAN_H5_DIR;
  const h5Dir = h5Raw === 'none' ? null : path.resolve(REPO_ROOT, h5Raw || 'miniapp/dist/h5');

  const seed = env.JIZAN_SEED || '';
  if (seed !== '' && seed !== 'demo') throw new ConfigError(`JIZAN_SEED must be "demo" or empty, got "${seed}"`);

  const adminKey = env.JIZAN_ADMIN_KEY || null;
  if (adminKey && nodeEnv === 'production') {
    throw new ConfigError('JIZAN_ADMIN_KEY cannot be set in production: create operator keys with pnpm admin:key');
  }
  if (adminKey && !/^[A-Za-z0-9._~+/=-]{16,4096}$/.test(adminKey)) {
    throw new ConfigError('JIZAN_ADMIN_KEY must be at least 16 characters of [A-Za-z0-9._~+/=-]');
  }

  const jwtSecret = secret ? new TextEncoder().encode(secret) : devSecret(dataDir);
  const payment = paymentConfig(env, nodeEnv, jwtSecret);

  return {
    env: nodeEnv,
    host: env.HOST || '0.0.0.0',
    port: int(env, 'PORT', 3000),
    databaseUrl,
    databaseTimeouts: {
      connectMs: int(env, 'DATABASE_CONNECT_TIMEOUT_MS', 5000, 100),
      statementMs: int(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 10_000, 100),
      idleInTransactionMs: int(env, 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', 30_000, 100),
    },
    poolSize: int(env, 'DATABASE_POOL_SIZE', 8, 1),
    dataDir,
    jwtSecret,
    jwtIssuer: env.JWT_ISSUER || 'jizan',
    jwtAudience: env.JWT_AUDIENCE || 'jizan-miniapp',
    tokenTtlSeconds: int(env, 'JIZAN_TOKEN_TTL_SECONDS', 7 * 24 * 3600, 60),
    devLogin,
    wechat: appId && appSecret ? { appId, appSecret, baseUrl: env.WECHAT_API_BASE || 'https://api.weixin.qq.com' } : null,
    h5Dir,
    seed: seed === 'demo' ? 'demo' : null,
    rateLimit: {
      loginPerMinute: int(env, 'JIZAN_RATE_LOGIN_PER_MINUTE', 30, 1),
      writesPerMinute: int(env, 'JIZAN_RATE_WRITES_PER_MINUTE', 300, 1),
      writesPerIpPerMinute: int(env, 'JIZAN_RATE_WRITES_PER_IP_PER_MINUTE', 3000, 1),
      opensPerMinute: int(env, 'JIZAN_RATE_OPENS_PER_MINUTE', 120, 1),
      redisUrl: redis,
    },
    boards: { redisUrl: redis, keyPrefix: env.JIZAN_BOARD_KEY_PREFIX || 'jizan:board:' },
    trustProxy: trustProxy(env.JIZAN_TRUST_PROXY),
    idempotencyTtlHours: int(env, 'JIZAN_IDEMPOTENCY_TTL_HOURS', 48, 1),
    corsOrigins: corsOrigins(env),
    docs: flag(env, 'JIZAN_DOCS', nodeEnv !== 'production'),
    avatars: avatarConfig(env),
    redPackets: {
      settleGraceSeconds: int(env, 'JIZAN_SETTLE_GRACE_SECONDS', 60),
      payoutMaxAttempts: int(env, 'JIZAN_PAYOUT_MAX_ATTEMPTS', 5, 1),
    },
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info'),
    requestLog: requestLog(env.JIZAN_REQUEST_LOG),
    payment,
    groupBuy: {
      payWindowSeconds: int(env, 'JIZAN_ORDER_PAY_MINUTES', 15, 1) * 60,
      refundMaxAttempts: int(env, 'JIZAN_REFUND_MAX_ATTEMPTS', 8, 1),
      refundRetrySeconds: int(env, 'JIZAN_REFUND_RETRY_SECONDS', 60, 1),
    },
    adminKey,
    jobs: {
      // Tests drive jobs by hand unless they switch this on.
      inProcess: flag(env, 'JIZAN_JOBS_IN_PROCESS', nodeEnv !== 'test'),
      intervalMs: int(env, 'JIZAN_JOBS_INTERVAL_MS', 5000, 10),
    },
  };
}

function paymentConfig(env: Env, nodeEnv: Config['env'], jwtSecret: Uint8Array): PaymentConfig {
  const provider = env.JIZAN_PAYMENT_PROVIDER || (nodeEnv === 'production' ? 'none' : 'dev');
  if (provider !== 'dev' && provider !== 'none') {
    throw new ConfigError(`JIZAN_PAYMENT_PROVIDER must be "dev" or "none", got "${provider}"`);
  }
  if (provider === 'dev' && nodeEnv === 'production') {
    throw new ConfigError('JIZAN_PAYMENT_PROVIDER=dev cannot be used in production: every order would be paid for free');
  }
  const raw = env.JIZAN_PAYMENT_NOTIFY_SECRET ? strongSecret('JIZAN_PAYMENT_NOTIFY_SECRET', env.JIZAN_PAYMENT_NOTIFY_SECRET) : undefined;
  if (nodeEnv === 'production' && provider !== 'none' && !raw) {
    throw new ConfigError('JIZAN_PAYMENT_NOTIFY_SECRET is required in production');
  }
  let notifySecret: Uint8Array | null = null;
  if (raw) notifySecret = new TextEncoder().encode(raw);
  else if (provider !== 'none') {
    // Outside production the key is derived from the main one, so one leaked key is not both.
    notifySecret = new Uint8Array(createHash('sha256').update('jizan-payment-notify:').update(jwtSecret).digest());
  }
  return { provider, notifySecret, notifyToleranceSeconds: int(env, 'JIZAN_PAYMENT_NOTIFY_TOLERANCE_SECONDS', 300, 1) };
}

/**
 * For process entry points (server, jobs): a bad configuration ends the process with EX_CONFIG (78)
 * and one readable line, instead of a stack trace.
 */
export function loadConfigOrExit(env: Env = process.env): Config {
  try {
    return loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Configuration error: ${e.message}`);
      process.exit(78);
    }
    throw e;
  }
}

function redisUrl(raw: string | undefined): string | null {
  if (!raw) return null;
  if (!/^rediss?:\/\//.test(raw)) throw new ConfigError('REDIS_URL must start with redis:// or rediss://');
  return raw;
}

function corsOrigins(env: Env): string[] {
  const origins = list(env, 'JIZAN_CORS_ORIGINS');
  for (const o of origins) {
    // An exact origin only: a wildcard would let any site's script call the API with a stolen token.
    if (!/^https?:\/\/[^/\s*]+$/.test(o)) throw new ConfigError(`JIZAN_CORS_ORIGINS takes origins like https://example.com, got "${o}"`);
  }
  return origins;
}

function avatarConfig(env: Env): AvatarConfig {
  const allowedHosts = list(env, 'JIZAN_AVATAR_HOSTS').map((h) => h.toLowerCase());
  for (const h of allowedHosts) {
    if (!/^[a-z0-9.-]+$/.test(h)) throw new ConfigError(`JIZAN_AVATAR_HOSTS takes host names, got "${h}"`);
  }
  return { maxBytes: int(env, 'JIZAN_AVATAR_MAX_KB', 512, 1) * 1024, allowedHosts };
}
