import { ConfigError, int, type Env } from './config-values.js';
import type { ContentCheck, ContentCheckSettings } from './lib/content-check.js';

/** How names and pictures strangers see are checked by the chat platform (lib/content-check.ts). */
export interface ContentCheckConfig {
  /**
   * When the platform cannot be asked: `hold` keeps a new name or picture from strangers until a
   * later check passes it (fail-closed, the default); `allow` shows it unchecked.
   */
  unreachable: 'hold' | 'allow';
  /** The longest setting a name waits for its check before it is held instead. */
  deadlineMs: number;
  /** How often held names and pictures are asked about again. */
  recheckSeconds: number;
  /** The server's public https origin, from which the platform fetches an uploaded avatar (`media_url`). */
  publicBaseUrl: string | null;
  /** The Token configured for the platform's message push (消息推送), which signs every push. */
  pushToken: string | null;
}

/** Without a push Token every push is refused, so a picture's verdict never arrives: set it wherever avatars are checked. */
export function contentCheckConfig(env: Env): ContentCheckConfig {
  const unreachable = env.JIZAN_CONTENT_CHECK_UNREACHABLE || 'hold';
  if (unreachable !== 'hold' && unreachable !== 'allow') {
    throw new ConfigError(`JIZAN_CONTENT_CHECK_UNREACHABLE must be "hold" or "allow", got "${unreachable}"`);
  }
  const publicBaseUrl = env.JIZAN_PUBLIC_URL?.trim().replace(/\/$/, '') || null;
  if (publicBaseUrl && !/^https?:\/\/[^/?#\s]+$/.test(publicBaseUrl)) {
    throw new ConfigError('JIZAN_PUBLIC_URL is an origin such as https://api.example.com (no path)');
  }
  const pushToken = env.WECHAT_PUSH_TOKEN?.trim() || null;
  if (pushToken && !/^[A-Za-z0-9]{3,32}$/.test(pushToken)) {
    throw new ConfigError('WECHAT_PUSH_TOKEN is the message push Token: 3 to 32 letters or digits');
  }
  return {
    unreachable,
    deadlineMs: int(env, 'JIZAN_CONTENT_CHECK_DEADLINE_MS', 1500, 50),
    recheckSeconds: int(env, 'JIZAN_CONTENT_RECHECK_SECONDS', 60, 1),
    publicBaseUrl,
    pushToken,
  };
}

/**
 * The services' settings from the config and the platform's check (null: no platform client).
 * Without a platform, development and tests check nothing (names pass as they did before the
 * checks existed); production holds every new name (its config always names a platform).
 */
export function contentCheckSettings(c: ContentCheckConfig, nodeEnv: string, port: number, check: ContentCheck | null): ContentCheckSettings {
  const policy = check || nodeEnv === 'production' ? c.unreachable : 'allow';
  // Outside production the (simulated) platform fetches pictures from this process itself.
  const publicBaseUrl = c.publicBaseUrl ?? (nodeEnv === 'production' ? null : `http://127.0.0.1:${port}`);
  return { check, policy, deadlineMs: c.deadlineMs, publicBaseUrl };
}

/** The poster codes' build: which mini-program a scanned code opens. */
export interface PosterCodeConfig {
  envVersion: 'release' | 'trial' | 'develop';
  /** Only a released build's pages can be checked by the platform; trial and develop codes skip it. */
  checkPath: boolean;
}

export function posterCodeConfig(env: Env, nodeEnv: string): PosterCodeConfig {
  const envVersion = env.WECHAT_CODE_ENV_VERSION || (nodeEnv === 'production' ? 'release' : 'develop');
  if (envVersion !== 'release' && envVersion !== 'trial' && envVersion !== 'develop') {
    throw new ConfigError(`WECHAT_CODE_ENV_VERSION must be release, trial or develop, got "${envVersion}"`);
  }
  return { envVersion, checkPath: envVersion === 'release' };
}
