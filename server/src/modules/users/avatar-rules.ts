/** The picture types accepted, told apart by their first bytes (never by the name or the declared type). */
export type ImageType = 'png' | 'jpg' | 'gif' | 'webp';

export const IMAGE_MIME: Record<ImageType, string> = { png: 'image/png', jpg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };

export function sniffImage(bytes: Uint8Array): ImageType | null {
  const at = (i: number, ...b: number[]) => b.every((x, j) => bytes[i + j] === x);
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'jpg';
  if (at(0, 0x47, 0x49, 0x46, 0x38) && (at(4, 0x37, 0x61) || at(4, 0x39, 0x61))) return 'gif';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'webp';
  return null;
}

/** Path under which the server serves an uploaded avatar; also what `avatarUrl` may point at. */
export const AVATAR_PATH_PREFIX = '/v1/avatars/';
export const AVATAR_FILE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(png|jpg|gif|webp)$/;

/**
 * An avatar URL others' browsers will fetch: only one the server serves itself, or https on a
 * configured host (the platform's CDN). Protocol-relative, http, credentials and odd ports are
 * refused, so a nickname card cannot make every viewer call an address of the sharer's choosing.
 */
export function avatarUrlAllowed(url: string, allowedHosts: readonly string[]): boolean {
  if (url.startsWith(AVATAR_PATH_PREFIX)) return AVATAR_FILE.test(url.slice(AVATAR_PATH_PREFIX.length));
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === '' &&
    allowedHosts.includes(parsed.hostname.toLowerCase())
  );
}
