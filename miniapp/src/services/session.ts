import type { Me } from '@jizan/shared';
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

/**
 * What is stored per user is stored per identity: in H5 under the dev user's name, so switching
 * dev users never sends one user's token for another; in the chat app under `chatAppKey`.
 */
function identityKey(base: string, chatAppKey: string): string {
  return isH5() ? `${base}.${currentDevUser()}` : chatAppKey;
}

const tokenKey = () => identityKey('jizan.token', 'jizan.token');
const profilePromptedKey = () => identityKey(PROFILE_PROMPTED_KEY, `${PROFILE_PROMPTED_KEY}.wx`);

export const tokenStore = {
  get: () => readStorage(tokenKey()),
  set: (token: string | null) => writeStorage(tokenKey(), token),
};

const DEVICE_ID_KEY = 'jizan.deviceId';

/**
 * A random id made on this install's first login and kept in its storage (the platform offers no
 * hardware id, and should not): many accounts logging in from one install is what the operators'
 * fraud review looks for. Shared by every identity of the install, dev users in H5 included.
 */
export function deviceId(): string | null {
  const kept = readStorage(DEVICE_ID_KEY);
  if (kept) return kept;
  const made = `d${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}${Math.random().toString(36).slice(2, 12)}`;
  writeStorage(DEVICE_ID_KEY, made);
  return readStorage(DEVICE_ID_KEY);
}

export async function loginCode(): Promise<string> {
  if (isH5()) return `dev:${currentDevUser()}`;
  const res = await Taro.login();
  return res.code;
}

/**
 * Whether to offer the profile prompt before the user first appears to others: only while the
 * profile is the generated default, and only once per identity (saved or skipped).
 */
export function shouldOfferProfile(me: Me | null): boolean {
  return me !== null && !me.profileCompleted && readStorage(profilePromptedKey()) !== '1';
}

export function markProfilePrompted(): void {
  writeStorage(profilePromptedKey(), '1');
}
