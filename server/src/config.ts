import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  ConfigError,
  corsOrigins,
  devSecret,
  flag,
  int,
  list,
  logFormat,
  redisUrl,
  requestLog,
  strongSecret,
  trustProxy,
  type Env,
  type RequestLog,
} from './config-values.js';
import { contentCheckConfig, posterCodeConfig, type ContentCheckConfig, type PosterCodeConfig } from './content-config.js';
import { paymentConfig, type PaymentConfig } from './payment-config.js';
import { subscribeConfig, type SubscribeConfig } from './subscribe-config.js';

export { ConfigError, secretWeakness, type RequestLog } from './config-values.js';
export type { PaymentConfig, WechatPayConfig } from './payment-config.js';

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
  /**
   * `pretty` (pino-pretty, for a person at `pnpm start`) or `json` (one object per line, for
   * collectors). JIZAN_LOG_FORMAT; by default pretty only in development at a terminal, and
   * production refuses pretty (its transport runs a worker thread per process and drops
   * structure a collector needs).
   */
  logFormat: 'pretty' | 'json';
  /** One line per request (`all`), only for answers ≥ 400 (`errors`), or none (`off`). */
  requestLog: RequestLog;
  payment: PaymentConfig;
  /** The chat platform's checks of names and pictures strangers see. */
  contentCheck: ContentCheckConfig;
  /** Which mini-program build the share posters' codes open. */
  posterCodes: PosterCodeConfig;
  groupBuy: GroupBuyConfig;
  /** Subscribe messages: the templates (JIZAN_SUBSCRIBE_TEMPLATES), the reminder's lead, the like batch, the sender's retries. */
  subscribe: SubscribeConfig;
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
  /** JIZAN_REWARD_HOLD_MINUTES: how long cash waits for the fraud checks before it leaves. */
  holdMinutes: number;
  /** JIZAN_TRANSFER_CONFIRM_MINUTES: a transfer nobody confirmed is cancelled and offered again after this. */
  transferConfirmMinutes: number;
  /** WECHATPAY_TRANSFER_SCENE_ID (转账场景, 1000 现金营销): with WeChat Pay configured, cash goes by merchant transfer. */
  transferSceneId: string | null;
  /** WECHATPAY_TRANSFER_NOTIFY_URL: where MCHTRANSFER.BILL.FINISHED goes (default: next to WECHATPAY_NOTIFY_URL). */
  transferNotifyUrl: string | null;
}

const NODE_ENVS = ['development', 'test', 'production'] as const;

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
  const payment = paymentConfig(env, nodeEnv);

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
      // The demo holds a minute, so a new user sees 审核中 turn into 确认收款 without waiting half an hour.
      holdMinutes: int(env, 'JIZAN_REWARD_HOLD_MINUTES', seed === 'demo' && nodeEnv !== 'production' ? 1 : 30, 0),
      transferConfirmMinutes: int(env, 'JIZAN_TRANSFER_CONFIRM_MINUTES', 24 * 60, 1),
      transferSceneId: env.WECHATPAY_TRANSFER_SCENE_ID?.trim() || null,
      transferNotifyUrl: env.WECHATPAY_TRANSFER_NOTIFY_URL?.trim() || null,
    },
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info'),
    logFormat: logFormat(env.JIZAN_LOG_FORMAT, nodeEnv),
    requestLog: requestLog(env.JIZAN_REQUEST_LOG),
    payment,
    contentCheck: contentCheckConfig(env),
    posterCodes: posterCodeConfig(env, nodeEnv),
    groupBuy: {
      payWindowSeconds: int(env, 'JIZAN_ORDER_PAY_MINUTES', 15, 1) * 60,
      refundMaxAttempts: int(env, 'JIZAN_REFUND_MAX_ATTEMPTS', 8, 1),
      refundRetrySeconds: int(env, 'JIZAN_REFUND_RETRY_SECONDS', 60, 1),
    },
    // The simulated platform (no app, outside production) knows the simulated templates.
    subscribe: subscribeConfig(env, nodeEnv, !appId && nodeEnv !== 'production'),
    adminKey,
    jobs: {
      // Tests drive jobs by hand unless they switch this on.
      inProcess: flag(env, 'JIZAN_JOBS_IN_PROCESS', nodeEnv !== 'test'),
      intervalMs: int(env, 'JIZAN_JOBS_INTERVAL_MS', 5000, 10),
    },
  };
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

function avatarConfig(env: Env): AvatarConfig {
  const allowedHosts = list(env, 'JIZAN_AVATAR_HOSTS').map((h) => h.toLowerCase());
  for (const h of allowedHosts) {
    if (!/^[a-z0-9.-]+$/.test(h)) throw new ConfigError(`JIZAN_AVATAR_HOSTS takes host names, got "${h}"`);
  }
  return { maxBytes: int(env, 'JIZAN_AVATAR_MAX_KB', 512, 1) * 1024, allowedHosts };
}
