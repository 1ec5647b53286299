import { randomBytes } from 'node:crypto';

/**
 * A poster code's `scene`. The platform carries at most 32 visible characters there and hands
 * them back URL-encoded in the page's query, so ours are 12 letters and digits: nothing to
 * encode, 71 bits of randomness (nobody walks the space to find others' cards), and a printed
 * code stays small.
 */
export const SCENE_LENGTH = 12;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function newScene(): string {
  let out = '';
  while (out.length < SCENE_LENGTH) {
    for (const b of randomBytes(SCENE_LENGTH * 2)) {
      // 248 = 4 × 62: bytes above it are dropped so every character is equally likely.
      if (b < 248 && out.length < SCENE_LENGTH) out += ALPHABET[b % 62];
    }
  }
  return out;
}

/** How long after its campaign ends a poster's scene still opens its card (a printed code outlives the campaign). */
export const SCENE_GRACE_MS = 7 * 24 * 3600 * 1000;

