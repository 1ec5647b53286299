import { AppError } from '../../lib/errors.js';
import type { WechatConfig } from '../../config.js';

/** Who the chat platform says a login code belongs to. */
export interface PlatformIdentity {
  openid: string;
  unionid: string | null;
}

/** The port the login service talks to: a login code in, the platform identity out. */
export interface CodeExchanger {
  exchange(code: string): Promise<PlatformIdentity>;
}

const DEV_PREFIX = 'dev:';
const DEV_NAME = /^[a-z0-9_-]{1,32}$/i;

/** The openid a `dev:<name>` login stands for; the seed makes its users under the same ids. */
export function devOpenid(name: string): string {
  return `dev_${name.toLowerCase()}`;
}

/** `dev:<name>` maps to one stable user per name, so a browser can play several people. */
export function devExchanger(): CodeExchanger {
  return {
    async exchange(code) {
      const name = code.slice(DEV_PREFIX.length);
      if (!code.startsWith(DEV_PREFIX) || !DEV_NAME.test(name)) {
        throw new AppError('LOGIN_CODE_INVALID', 'A dev login code looks like dev:<name> (letters, digits, _ or -)');
      }
      return { openid: devOpenid(name), unionid: null };
    },
  };
}

interface Code2SessionAnswer {
  openid?: string;
  unionid?: string;
  session_key?: string;
  errcode?: number;
  errmsg?: string;
}

// The platform's documented answers: a bad or reused code, a blocked user, throttling, a busy system.
const CODE_REJECTED = new Set([40029, 40163, 40226, 40013]);
const PLATFORM_BUSY = new Set([-1, 45011]);

/** The chat platform's code-to-session endpoint (jscode2session). */
export function wechatExchanger(cfg: WechatConfig, fetchImpl: typeof fetch = fetch, timeoutMs = 5000): CodeExchanger {
  return {
    async exchange(code) {
      const url = new URL('/sns/jscode2session', cfg.baseUrl);
      url.search = new URLSearchParams({
        appid: cfg.appId,
        secret: cfg.appSecret,
        js_code: code,
        grant_type: 'authorization_code',
      }).toString();
      let answer: Code2SessionAnswer;
      try {
        const res = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs) });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        answer = (await res.json()) as Code2SessionAnswer;
      } catch {
        throw new AppError('SERVICE_UNAVAILABLE', 'The chat platform could not be reached to check the login; please retry');
      }
      if (answer.errcode && answer.errcode !== 0) {
        if (CODE_REJECTED.has(answer.errcode)) {
          throw new AppError('LOGIN_CODE_INVALID', 'The login code was rejected; request a new one with the login call', {
            platformCode: answer.errcode,
          });
        }
        if (PLATFORM_BUSY.has(answer.errcode)) {
          throw new AppError('SERVICE_UNAVAILABLE', 'The chat platform is busy; please retry', { platformCode: answer.errcode });
        }
        throw new AppError('LOGIN_CODE_INVALID', 'The chat platform refused the login', { platformCode: answer.errcode });
      }
      if (typeof answer.openid !== 'string' || answer.openid === '') {
        throw new AppError('SERVICE_UNAVAILABLE', 'The chat platform answered without a user id; please retry');
      }
      return { openid: answer.openid, unionid: answer.unionid ?? null };
    },
  };
}

/**
 * Routes `dev:` codes to the dev exchanger when dev logins are on, everything else to the
 * platform. With dev logins off, a `dev:` code is refused outright rather than sent upstream.
 */
export function routedExchanger(opts: { dev: boolean; platform: CodeExchanger | null }): CodeExchanger {
  const dev = devExchanger();
  return {
    async exchange(code) {
      if (code.startsWith(DEV_PREFIX)) {
        if (!opts.dev) throw new AppError('DEV_LOGIN_DISABLED', 'Dev logins are turned off on this server');
        return dev.exchange(code);
      }
      if (!opts.platform) {
        throw new AppError(
          opts.dev ? 'LOGIN_CODE_INVALID' : 'SERVICE_UNAVAILABLE',
          opts.dev
            ? 'No chat platform is configured here; log in with a dev code such as dev:alice'
            : 'No chat platform is configured on this server',
        );
      }
      return opts.platform.exchange(code);
    },
  };
}
