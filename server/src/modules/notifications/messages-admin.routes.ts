import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MessageStats, MessageStatsQuery } from '@jizan/shared';
import type { SubscribeTemplates } from '../../subscribe-config.js';
import { adminRoute } from '../operators/admin-route.js';
import { messageStats } from './notifications.service.js';

/** The subscribe messages as operators see them, registered under `/admin/v1` (read scope). */
export const messagesAdminRoutes: FastifyPluginAsyncTypebox<{ templates: SubscribeTemplates }> = async (app, opts) => {
  const admin = adminRoute(app);
  app.get(
    '/messages',
    admin.read({
      operationId: 'adminMessageStats',
      summary: 'Subscribe messages per template: sent, delivered, refused, failed, inbox-only and pending',
      querystring: MessageStatsQuery,
      response: { 200: MessageStats },
    }),
    async (request) => messageStats({ db: app.deps.db, templates: opts.templates }, request.query.since ? new Date(request.query.since) : null),
  );
};
