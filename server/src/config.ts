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
  rateLimit: { loginPerMinute: number; writesPerMinute: number };
  redPackets: RedPacketSettings;
  logLevel: string;
  /** One line per request (`all`), only for answers ≥ 400 (`errors`), or none (`off`). */
  requestLog: RequestLog;
  payment: PaymentConfig;
  groupBuy: GroupBuyConfig;
  jobs: JobsConfig;
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
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
}

/** The only reader of the environment: everything else receives a typed Config. */
export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const dataDir = path.resolve(REPO_ROOT, env.JIZAN_DATA_DIR || '.data');
  const databaseUrl = env.DATABASE_URL || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }

  const secret = env.JWT_SECRET;
  if (nodeEnv === 'production' && (!secret || secret.length < 32)) {
    throw new ConfigError('JWT_SECRET of at least 32 characters is required in production');
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

  const jwtSecret = secret ? new TextEncoder().encode(secret) : devSecret(dataDir);
  const payment = paymentConfig(env, nodeEnv, jwtSecret);

  return {
    env: nodeEnv,
    host: env.HOST || '0.0.0.0',
    port: int(env, 'PORT', 3000),
    databaseUrl,
    poolSize: int(env, 'DATABASE_POOL_SIZE', 20, 1),
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
    },
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
  const raw = env.JIZAN_PAYMENT_NOTIFY_SECRET;
  if (raw !== undefined && raw !== '' && raw.length < 32) {
    throw new ConfigError('JIZAN_PAYMENT_NOTIFY_SECRET must be at least 32 characters');
  }
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
