import type { OperatorScope } from '@jizan/shared';
import type { FastifyInstance } from 'fastify';
import type { TSchema } from 'typebox';
import { replies } from '../../lib/http.js';

/** The admin routes' security requirement in OpenAPI (the scheme is declared in plugins/docs.ts). */
export const OPERATOR_KEY = [{ operatorKey: [] }];

/** What differs between admin routes: the rest of their options is the same for every one. */
export interface AdminRouteSchema {
  operationId: string;
  summary: string;
  params?: TSchema;
  querystring?: TSchema;
  body?: TSchema;
  /** Success schemas by status; `replies` adds the error shape. */
  response: Record<number, TSchema>;
}

/**
 * Route options for the admin API, like `action()` in shares.routes.ts: every route is tagged
 * `admin` and secured by an operator key in the OpenAPI document, and answers errors in the one
 * error shape. `read` is for GETs (their scope is `read` by default); `write` adds the writes' rate
 * limit and, when given, a declared scope (a scan is a POST that only needs `read`).
 *
 *   app.get('/campaigns/:id', admin.read({ operationId, summary, params: IdParams, response: { 200: AdminCampaign } }), handler);
 */
export function adminRoute(app: Pick<FastifyInstance, 'rateLimits'>) {
  const schema = <S extends AdminRouteSchema>({ response, ...rest }: S) => ({
    ...rest,
    tags: ['admin'],
    security: OPERATOR_KEY,
    response: replies(response as S['response']),
  });
  return {
    read: <S extends AdminRouteSchema>(spec: S) => ({ schema: schema(spec) }),
    write: <S extends AdminRouteSchema>(spec: S, scope?: OperatorScope) => ({
      config: { rateLimit: app.rateLimits.writes, ...(scope ? { operatorScope: scope } : {}) },
      schema: schema(spec),
    }),
  };
}
