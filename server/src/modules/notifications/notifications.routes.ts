import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  LimitQuery,
  MyNotificationsResponse,
  MySubscriptionsResponse,
  ReadNotificationsBody,
  ReadNotificationsResponse,
  SubscribeResult,
} from '@jizan/shared';
import { replies } from '../../lib/http.js';
import { idempotencyOf } from '../../lib/request-fingerprint.js';
import { userIdOf } from '../../plugins/auth.js';
import type { SubscribeTemplates } from '../../subscribe-config.js';
import { myNotifications, readNotifications } from './notifications.service.js';
import { mySubscriptions, recordSubscriptions, type SubscriptionDeps } from './subscriptions.service.js';

export const notificationsRoutes: FastifyPluginAsyncTypebox<{ templates: SubscribeTemplates }> = async (app, opts) => {
  const deps: SubscriptionDeps = { db: app.deps.db, clock: app.deps.clock, templates: opts.templates };

  app.get(
    '/v1/me/notifications',
    {
      schema: {
        tags: ['notifications'],
        operationId: 'listMyNotifications',
        summary: 'My in-app inbox, newest first, with how many of my messages are unread',
        querystring: LimitQuery,
        response: replies({ 200: MyNotificationsResponse }),
      },
    },
    async (request) => myNotifications(app.deps, userIdOf(request), request.query.limit),
  );

  app.post(
    '/v1/me/notifications/read',
    {
      config: { rateLimit: app.rateLimits.writes },
      schema: {
        tags: ['notifications'],
        operationId: 'readMyNotifications',
        summary: 'Mark messages of mine read (the listed ids, or all); answers what stays unread',
        body: ReadNotificationsBody,
        response: replies({ 200: ReadNotificationsResponse }),
      },
    },
    async (request) => readNotifications(app.deps, userIdOf(request), request.body),
  );

  app.get(
    '/v1/me/subscriptions',
    {
      schema: {
        tags: ['notifications'],
        operationId: 'getMySubscriptions',
        summary: 'The subscribe-message templates, my send credits, and the template ids to ask for at each moment',
        response: replies({ 200: MySubscriptionsResponse }),
      },
    },
    async (request) => mySubscriptions(deps, userIdOf(request)),
  );

  app.post(
    '/v1/me/subscriptions',
    {
      config: { rateLimit: app.rateLimits.writes },
      schema: {
        tags: ['notifications'],
        operationId: 'recordMySubscriptions',
        summary: "Record requestSubscribeMessage's result: one send credit per accepted template",
        body: SubscribeResult,
        response: replies({ 200: MySubscriptionsResponse }),
      },
    },
    async (request, reply) =>
      reply.replay(
        await recordSubscriptions(deps, {
          userId: userIdOf(request),
          result: request.body as SubscribeResult,
          idempotency: idempotencyOf(request),
        }),
      ),
  );
};
