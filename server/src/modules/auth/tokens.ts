import { errors, jwtVerify, SignJWT } from 'jose';
import { AppError } from '../../lib/errors.js';

export interface TokenSettings {
  secret: Uint8Array;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

const ALG = 'HS256';

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
    .sign(s.secret);
  return { token, expiresAt: new Date(exp * 1000) };
}

/** Returns the user id; any flaw (algorithm, issuer, audience, expiry, signature) is UNAUTHENTICATED. */
export async function verifyAccessToken(s: TokenSettings, token: string, now: Date): Promise<string> {
  try {
    const { payload } = await jwtVerify(token, s.secret, {
      algorithms: [ALG],
      issuer: s.issuer,
      audience: s.audience,
      currentDate: now,
      requiredClaims: ['sub', 'exp'],
    });
    if (typeof payload.sub !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(payload.sub)) {
      throw new AppError('UNAUTHENTICATED', 'The access token names no user');
    }
    return payload.sub;
  } catch (e) {
    if (e instanceof AppError) throw e;
    const message = e instanceof errors.JWTExpired ? 'The access token has expired; log in again' : 'The access token is not valid';
    throw new AppError('UNAUTHENTICATED', message);
  }
}
