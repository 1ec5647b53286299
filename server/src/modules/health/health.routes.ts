import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Health } from '@jizan/shared';
import { replies } from '../../lib/http.js';
import { liveness, readiness, type HealthDeps } from './health.service.js';

/** Probes for process managers and load balancers; kept out of the public API document. */
export const healthRoutes: FastifyPluginAsyncTypebox<{ deps: HealthDeps }> = async (app, { deps }) => {
  app.get(
    '/healthz',
    { config: { auth: 'none' }, schema: { hide: true, operationId: 'liveness', response: replies({ 200: Health }) } },
    async () => liveness(deps),
  );
  app.get(
    '/readyz',
    { config: { auth: 'none' }, schema: { hide: true, operationId: 'readiness', response: replies({ 200: Health }) } },
    async () => readiness(deps),
  );
};
