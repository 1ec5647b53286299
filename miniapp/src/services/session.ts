import Taro from '@tarojs/taro';
import { pageUrl } from '../page-paths';
import { isH5 } from '../platform';

/**
 * Who the app logs in as. In the chat app that is the platform user (`Taro.login`); in the H5
 * preview there is no platform login, so a named dev user (`dev:<name>`) stands in, chosen by
 * `?as=<name>` in the URL or the "acting as" picker, so two browser contexts can be two people.
 */

export const DEFAULT_DEV_USER = 'demo';
const DEV_USER_KEY = 'jizan.devUser';
const PROFILE_PROMPTED_KEY = 'jizan.profilePrompted';

/** Dev names become part of a login code; keep them to what a server would accept in a path. */
export function normalizeDevUser(name: string | null | undefined): string | null {
  const n = (name ?? '').trim().toLowerCase();
  return /^[a-z0-9_-]{1,32}$/.test(n) ? n : null;
}

/** `?as=` may sit before the hash (`/?as=bob#/pages/…`) or inside the hash route's query. */
export function devUserFromUrl(search: string, hash: string): string | null {
  const fromQuery = (q: string) => {
    for (const part of q.replace(/^\?/, '').split('&')) {
      const [k, v] = part.split('=');
      if (k === 'as' && v) return normalizeDevUser(decodeURIComponent(v));
    }
    return null;
  };
  const hashQuery = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '';
  return fromQuery(search) ?? fromQuery(hashQuery);
}

function readStorage(key: string): string | null {
  try {
    const v: unknown = Taro.getStorageSync(key);
    return typeof v === 'string' && v ? v : null;
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string | null): void {
  try {
    if (value === null) Taro.removeStorageSync(key);
    else Taro.setStorageSync(key, value);
  } catch {
    // Storage full or unavailable: the app still works, it just logs in again next launch.
  }
}

export function currentDevUser(): string {
  if (isH5() && typeof window !== 'undefined') {
    const fromUrl = devUserFromUrl(window.location.search, window.location.hash);
    if (fromUrl) {
      writeStorage(DEV_USER_KEY, fromUrl);
      return fromUrl;
    }
  }
  return normalizeDevUser(readStorage(DEV_USER_KEY)) ?? DEFAULT_DEV_USER;
}

/** Switches the H5 preview to another dev user with a full reload, so no page keeps the old user's data. */
export function switchDevUser(name: string): void {
  const n = normalizeDevUser(name);
  if (!n || typeof window === 'undefined') return;
  writeStorage(DEV_USER_KEY, n);
  window.location.href = `${window.location.origin}${window.location.pathname}?as=${encodeURIComponent(n)}#${pageUrl.home()}`;
}

/** Tokens are kept per identity, so switching dev users never sends one user's token for another. */
function tokenKey(): string {
  return isH5() ? `jizan.token.${currentDevUser()}` : 'jizan.token';
}

export const tokenStore = {
  get: () => readStorage(tokenKey()),
  set: (token: string | null) => writeStorage(tokenKey(), token),
};

export async function loginCode(): Promise<string> {
  if (isH5()) return `dev:${currentDevUser()}`;
  const res = await Taro.login();
  return res.code;
}

/** Whether the profile prompt was already offered to this identity (saved or skipped). */
export function profilePrompted(): boolean {
  return readStorage(`${PROFILE_PROMPTED_KEY}.${isH5() ? currentDevUser() : 'wx'}`) === '1';
}

export function markProfilePrompted(): void {
  writeStorage(`${PROFILE_PROMPTED_KEY}.${isH5() ? currentDevUser() : 'wx'}`, '1');
}
