import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// 12 random bytes make the id unguessable; the MAC lets us refuse forged tokens before any query.
const ID_BYTES = 12;
const MAC_BYTES = 12;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{16}$/;

function mac(secret: Uint8Array, id: string): Buffer {
  return createHmac('sha256', secret).update(`share:${id}`).digest().subarray(0, MAC_BYTES);
}

export function createShareToken(secret: Uint8Array): string {
  const id = randomBytes(ID_BYTES).toString('base64url');
  return `${id}.${mac(secret, id).toString('base64url')}`;
}

export function isGenuineShareToken(secret: Uint8Array, token: string): boolean {
  if (!TOKEN_SHAPE.test(token)) return false;
  const [id, sig] = token.split('.') as [string, string];
  const given = Buffer.from(sig, 'base64url');
  const expected = mac(secret, id);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
