import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Group,
  IdParams,
  MyNotificationsResponse,
  LimitQuery,
  MyOrdersResponse,
  OpenGroupBody,
  ErrorResponse,
  NotificationFailure,
  Order,
  PaySheet,
  SimulatedPayResult,
  WECHATPAY_NOTIFY_PATH,
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
import { Type } from 'typebox';
import { myOrders } from './orders.service.js';
import { payOrder, receiveNotification } from './payments.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received, where a signature covers it (payment notifications). */
    rawBody: string | null;
  }
}


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

  app.post(
    '/v1/orders/:id/pay',
    {
      config: { rateLimit: app.rateLimits.writes },
      schema: {
        tags: ['group buy'],
        operationId: 'payOrder',
        summary: 'The pay sheet again for my unpaid order (after the buyer closed it): the same prepay, so it can never be paid twice',
        params: IdParams,
        response: replies({ 200: Order }),
      },
    },
    async (request) => payOrder(deps, userIdOf(request), request.params.id),
  );

  const simulator = deps.simulator;
  if (simulator) {
    app.post(
      '/v1/payments/simulator/pay',
      {
        config: { rateLimit: app.rateLimits.writes },
        schema: {
          tags: ['payments'],
          operationId: 'paySimulated',
          summary: 'Development only: the pay sheet of the simulated platform. The buyer confirms and the simulator pays and notifies',
          body: PaySheet,
          response: replies({ 200: SimulatedPayResult }),
        },
      },
      async (request) => {
        const result = await simulator.requestPayment(request.body);
        if (!result.errMsg.endsWith(':ok')) throw new AppError('VALIDATION_FAILED', result.errMsg);
        return result;
      },
    );
  }

  // Its own scope: the platform's signature covers the body byte for byte, so it is kept raw and
  // parsed only after it verified; the answers are the platform's protocol, not our error shape.
  await app.register(async (scope) => {
    scope.decorateRequest('rawBody', null);
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
      request.rawBody = body as string;
      done(null, undefined);
    });
    scope.post(
      WECHATPAY_NOTIFY_PATH,
      {
        config: { auth: 'none' },
        schema: {
          tags: ['payments'],
          operationId: 'receiveWechatPayNotification',
          summary:
            'WeChat Pay v3 notifications (TRANSACTION.SUCCESS, REFUND.*): verified with the platform key, resource decrypted with the APIv3 key, applied once however often delivered',
          security: [],
          // The handler answers in the platform's protocol; what fails before it (a body too large, a
          // rate limit) keeps our error shape, so both are documented.
          response: {
            204: Type.Null({ description: 'Applied (or already applied)' }),
            '4xx': Type.Union([NotificationFailure, ErrorResponse]),
            '5xx': Type.Union([NotificationFailure, ErrorResponse]),
          },
        },
      },
      async (request, reply) => {
        const answer = await receiveNotification(deps, { headers: request.headers, rawBody: request.rawBody ?? '' });
        if (answer.status >= 300) request.log.warn({ status: answer.status, reason: answer.body?.message }, 'payment notification refused');
        // Our answers are 204, or a FAIL body with 400, 401 or 500 (notification.ts and receiveNotification).
        return answer.body ? reply.code(answer.status as 400 | 401 | 500).send(answer.body) : reply.code(204).send(null);
      },
    );
  });
};
