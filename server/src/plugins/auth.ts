import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import { verifyAccessToken, type TokenSettings } from '../modules/auth/tokens.js';
import { accountGone } from '../modules/users/users.service.js';

export type AuthMode = 'required' | 'optional' | 'none';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `required` is the default under /v1; login is `none`; the share landing is `optional`. */
    auth?: AuthMode;
  }
  interface FastifyRequest {
    userId: string | null;
  }
}

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{10,4096})$/.exec(header);
  if (!match) throw new AppError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>"');
  return match[1]!;
}

export interface AuthOptions {
  tokens: TokenSettings;
  clock: Clock;
  /** Whether the token's user still exists: a signed token outlives a deleted account. */
  userExists(userId: string): Promise<boolean>;
}

async function auth(app: FastifyInstance, opts: AuthOptions) {
  app.decorateRequest('userId', null);
  app.addHook('onRequest', async (request) => {
    const declared = request.routeOptions.config?.auth;
    const mode: AuthMode = declared ?? (request.routeOptions.url?.startsWith('/v1/') ? 'required' : 'none');
    if (mode === 'none') return;
    const token = bearer(request);
    if (!token) {
      if (mode === 'required') throw new AppError('UNAUTHENTICATED', 'Log in first: this route needs an access token');
      return;
    }
    // A bad token is refused even where login is optional, so the client learns to log in again.
    const userId = await verifyAccessToken(opts.tokens, token, opts.clock.now());
    // Checked here, once, rather than as a foreign-key failure (a 500) deep inside a write.
    if (!(await opts.userExists(userId))) throw accountGone();
    request.userId = userId;
  });
}

/** The caller's id on a route that required a login. */
export function userIdOf(request: FastifyRequest): string {
  if (!request.userId) throw new AppError('UNAUTHENTICATED', 'Log in first: this route needs an access token');
  return request.userId;
}

export default fp(auth, { name: 'auth' });
