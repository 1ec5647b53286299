import { webcrypto } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import { AppError } from '../../lib/errors.js';

export interface TokenSettings {
  secret: Uint8Array;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

const ALG = 'HS256';

/**
 * The secret imported once as a WebCrypto key per settings: handed raw bytes, jose imports them
 * again on every sign and verify, which was half of a verification's CPU (a stampede of new
 * likers verifies hundreds of tokens a second).
 */
const keys = new WeakMap<TokenSettings, Promise<webcrypto.CryptoKey>>();

function keyOf(s: TokenSettings): Promise<webcrypto.CryptoKey> {
  let key = keys.get(s);
  if (!key) {
    key = webcrypto.subtle.importKey('raw', s.secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(s, key);
  }
  return key;
}

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export async function issueAccessToken(s: TokenSettings, userId: string, now: Date): Promise<IssuedToken> {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + s.ttlSeconds;
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(s.issuer)
    .setAudience(s.audience)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(await keyOf(s));
  return { token, expiresAt: new Date(exp * 1000) };
}

/**
 * Tokens this instance already verified, per settings: a token's signature and claims never change,
 * so after the first request only its expiry is checked again. Checking the HMAC on every request
 * was a tenth of a read's CPU. Bounded; a token that fell out is simply verified again.
 */
const verified = new WeakMap<TokenSettings, LRUCache<string, { sub: string; exp: number }>>();

function expired(): AppError {
  return new AppError('UNAUTHENTICATED', 'The access token has expired; log in again');
}

/** Returns the user id; any flaw (algorithm, issuer, audience, expiry, signature) is UNAUTHENTICATED. */
export async function verifyAccessToken(s: TokenSettings, token: string, now: Date): Promise<string> {
  let cache = verified.get(s);
  if (!cache) verified.set(s, (cache = new LRUCache({ max: 100_000 })));
  const hit = cache.get(token);
  if (hit) {
    // jose's rule: expired once `exp` is at or before the current second.
    if (hit.exp <= Math.floor(now.getTime() / 1000)) throw expired();
    return hit.sub;
  }
  return verifyAfresh(s, token, now);
}

async function verifyAfresh(s: TokenSettings, token: string, now: Date): Promise<string> {
  try {
    const { payload } = await jwtVerify(token, await keyOf(s), {
      algorithms: [ALG],
      issuer: s.issuer,
      audience: s.audience,
      currentDate: now,
      requiredClaims: ['sub', 'exp'],
    });
    if (typeof payload.sub !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(payload.sub)) {
      throw new AppError('UNAUTHENTICATED', 'The access token names no user');
    }
    verified.get(s)?.set(token, { sub: payload.sub, exp: payload.exp! });
    return payload.sub;
  } catch (e) {
    if (e instanceof AppError) throw e;
    if (e instanceof errors.JWTExpired) throw expired();
    throw new AppError('UNAUTHENTICATED', 'The access token is not valid');
  }
}
