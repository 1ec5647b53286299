/**
 * Operator access to `/admin/v1`. Register this plugin (it is `fastify-plugin`-wrapped, so its hook
 * covers its siblings) inside the encapsulated context that holds the admin routes; app.ts does:
 *
 *   app.register(async (admin) => {
 *     await admin.register(adminAccess, { adminKey, tokens, clock });
 *     await admin.register(adminRoutes);      // and insights routes beside it
 *   }, { prefix: '/admin/v1' });
 *
 * Every route in that context is then behind an operator key. A route declares the scope it needs
 * with `config: { operatorScope: 'read' | 'write' }`; without it, GET/HEAD need `read` and every other
 * method `write`, so a forgotten declaration never opens a write to a read key. Handlers read the
 * caller with `operatorOf(request)` (write services take it as the audit log's "who").
 *
 * Answers: no key, a malformed one or an unknown/revoked one → 401 UNAUTHENTICATED; a user's access
 * token → 403 OPERATOR_ONLY; a key without the scope → 403 SCOPE_MISSING.
 */
import type { OperatorScope } from '@jizan/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { verifyAccessToken, type TokenSettings } from '../auth/tokens.js';
import { authenticateOperator } from './operators.service.js';
import type { Actor } from './audit.service.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The operator scope an admin route needs; defaults to `read` for GET/HEAD, `write` otherwise. */
    operatorScope?: OperatorScope;
  }
  interface FastifyRequest {
    operator: Actor | null;
  }
}

export interface AdminAccessOptions {
  db: Db;
  /** JIZAN_ADMIN_KEY: an all-scopes key for local use and tests (config refuses it in production). */
  adminKey: string | null;
  tokens: TokenSettings;
  clock: Clock;
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{10,4096})$/;

function scopeOf(request: FastifyRequest): OperatorScope {
  const declared = request.routeOptions.config?.operatorScope;
  if (declared) return declared;
  return request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write';
}

/** Checks the caller against a scope; the hook below runs it for every admin route. */
export function requireOperator(opts: AdminAccessOptions, scope: OperatorScope) {
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers.authorization;
    if (!header) throw new AppError('UNAUTHENTICATED', 'The admin API needs an operator key: Authorization: Bearer jzk_…');
    const key = BEARER.exec(header)?.[1];
    if (!key) throw new AppError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <operator key>"');
    const operator = await authenticateOperator({ db: opts.db, adminKey: opts.adminKey }, key);
    if (!operator) {
      // Tell a user who wandered here apart from a wrong key: the first is not an operator at all.
      const isUser = await verifyAccessToken(opts.tokens, key, opts.clock.now()).then(
        () => true,
        () => false,
      );
      if (isUser) throw new AppError('OPERATOR_ONLY', 'User access tokens cannot call the admin API; use an operator key');
      throw new AppError('UNAUTHENTICATED', 'This operator key is unknown or revoked');
    }
    if (!operator.scopes.includes(scope)) {
      throw new AppError('SCOPE_MISSING', `This route needs the "${scope}" scope; the key has ${operator.scopes.join(', ')}`);
    }
    request.operator = operator;
  };
}

async function adminAccess(app: FastifyInstance, opts: AdminAccessOptions) {
  app.decorateRequest('operator', null);
  const checks = { read: requireOperator(opts, 'read'), write: requireOperator(opts, 'write') };
  app.addHook('onRequest', async (request) => checks[scopeOf(request)](request));
}

/** The operator behind this admin request (set by the access hook). */
export function operatorOf(request: FastifyRequest): Actor {
  if (!request.operator) throw new AppError('UNAUTHENTICATED', 'The admin API needs an operator key');
  return request.operator;
}

export default fp(adminAccess, { name: 'admin-access' });
