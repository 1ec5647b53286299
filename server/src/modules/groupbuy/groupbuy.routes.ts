import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Group,
  IdParams,
  MyNotificationsResponse,
  LimitQuery,
  MyOrdersResponse,
  OpenGroupBody,
  PAYMENT_SIGNATURE_HEADER,
  PAYMENT_TIMESTAMP_HEADER,
  PaymentNotification,
  PaymentNotificationAck,
  PaymentNotificationHeaders,
  ProductDetail,
  ProductListQuery,
  ProductListResponse,
} from '@jizan/shared';
import { AppError } from '../../lib/errors.js';
import { replies } from '../../lib/http.js';
import { idempotencyOf } from '../../lib/request-fingerprint.js';
import { userIdOf } from '../../plugins/auth.js';
import type { GroupBuyDeps } from './groupbuy.deps.js';
import { getProduct, listProducts } from './groupbuy.service.js';
import { getGroup, joinGroup, myNotifications, openGroup } from './groups.service.js';
import { myOrders } from './orders.service.js';
import { handlePaymentNotification } from './payments.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received, where a signature covers it (payment notifications). */
    rawBody: string | null;
  }
}

const headerText = (v: string | string[] | undefined): string => (typeof v === 'string' ? v : '');

export const PAYMENT_NOTIFICATION_PATH = '/v1/payments/notifications';

export const groupBuyRoutes: FastifyPluginAsyncTypebox<{ deps: GroupBuyDeps }> = async (app, { deps }) => {
  app.get(
    '/v1/products',
    {
      schema: {
        tags: ['group buy'],
        operationId: 'listProducts',
        summary: "A campaign's group-buy products",
        querystring: ProductListQuery,
        response: replies({ 200: ProductListResponse }),
      },
    },
    async (request) => listProducts(deps, request.query.campaignId),
  );

  app.get(
    '/v1/products/:id',
    {
      schema: {
        tags: ['group buy'],
        operationId: 'getProduct',
        summary: 'A product with its open group buys that still have seats, soonest to expire first',
        params: IdParams,
        response: replies({ 200: ProductDetail }),
      },
    },
    async (request) => getProduct(deps, request.params.id),
  );

  app.post(
    '/v1/groups',
    {
      config: { rateLimit: app.rateLimits.writes },
      schema: {
        tags: ['group buy'],
        operationId: 'openGroup',
        summary: 'Open a group buy: places and pays the opener\'s order at the group price. Send an Idempotency-Key to retry safely',
        body: OpenGroupBody,
        response: replies({ 201: Group }),
      },
    },
    async (request, reply) =>
      reply.replay(await openGroup(deps, { userId: userIdOf(request), productId: request.body.productId, idempotency: idempotencyOf(request) })),
  );

  app.post(
    '/v1/groups/:id/join',
    {
      config: { rateLimit: app.rateLimits.writes },
      schema: {
        tags: ['group buy'],
        operationId: 'joinGroup',
        summary: 'Take a seat in an open group buy: places and pays the order. Send an Idempotency-Key to retry safely',
        params: IdParams,
        response: replies({ 200: Group }),
      },
    },
    async (request, reply) =>
      reply.replay(await joinGroup(deps, { userId: userIdOf(request), groupId: request.params.id, idempotency: idempotencyOf(request) })),
  );

  app.get(
    '/v1/groups/:id',
    {
      schema: {
        tags: ['group buy'],
        operationId: 'getGroup',
        summary: 'A group buy: members (virtual seats flagged), seats left, countdown and my order',
        params: IdParams,
        response: replies({ 200: Group }),
      },
    },
    async (request) => getGroup(deps, request.params.id, userIdOf(request)),
  );

  app.get(
    '/v1/me/orders',
    {
      schema: {
        tags: ['group buy'],
        operationId: 'listMyOrders',
        summary: 'My group-buy orders, newest first, with their states and refunds',
        querystring: LimitQuery,
        response: replies({ 200: MyOrdersResponse }),
      },
    },
    async (request) => myOrders(deps, userIdOf(request), request.query.limit),
  );

  app.get(
    '/v1/me/notifications',
    {
      schema: {
        tags: ['group buy'],
        operationId: 'listMyNotifications',
        summary: 'Messages about my group buys (what the dev notifier wrote to its outbox)',
        querystring: LimitQuery,
        response: replies({ 200: MyNotificationsResponse }),
      },
    },
    async (request) => myNotifications(deps, userIdOf(request), request.query.limit),
  );

  // Its own scope: here JSON bodies are also kept raw, because the signature covers the exact bytes.
  await app.register(async (scope) => {
    scope.decorateRequest('rawBody', null);
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      request.rawBody = body as string;
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(new AppError('INVALID_JSON', 'The body is not valid JSON'), undefined);
      }
    });
    scope.post(
      PAYMENT_NOTIFICATION_PATH,
      {
        config: { auth: 'none' },
        schema: {
          tags: ['payments'],
          operationId: 'receivePaymentNotification',
          summary: 'Called by the payment provider when a payment is confirmed; verified by HMAC, idempotent under replays',
          security: [],
          headers: PaymentNotificationHeaders,
          body: PaymentNotification,
          response: replies({ 200: PaymentNotificationAck }),
        },
      },
      async (request) =>
        handlePaymentNotification(deps, {
          rawBody: request.rawBody ?? '',
          timestamp: headerText(request.headers[PAYMENT_TIMESTAMP_HEADER]),
          signature: headerText(request.headers[PAYMENT_SIGNATURE_HEADER]),
        }),
    );
  });
};
