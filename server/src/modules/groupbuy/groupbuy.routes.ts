import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Group,
  IdParams,
  JoinGroupBody,
  LimitQuery,
  MyOrdersResponse,
  OpenGroupBody,
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
import { wechatPayNotifyRoute } from '../../plugins/wechatpay-notify.js';
import type { GroupBuyDeps } from './groupbuy.deps.js';
import { getProduct, listProducts } from './groupbuy.service.js';
import { getGroup, joinGroup, openGroup } from './groups.service.js';
import { Type } from 'typebox';
import { myOrders } from './orders.service.js';
import { payOrder, receiveNotification } from './payments.service.js';



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
        summary: 'Open a group buy: places and pays the opener\'s order at the group price (less a coupon\'s discount with `couponId`). Send an Idempotency-Key to retry safely',
        body: OpenGroupBody,
        response: replies({ 201: Group }),
      },
    },
    async (request, reply) =>
      reply.replay(
        await openGroup(deps, { userId: userIdOf(request), productId: request.body.productId, couponId: request.body.couponId ?? null, idempotency: idempotencyOf(request) }),
      ),
  );

  app.post(
    '/v1/groups/:id/join',
    {
      config: { rateLimit: app.rateLimits.writes },
      // A join without a coupon may send no body at all, as before coupons existed.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags: ['group buy'],
        operationId: 'joinGroup',
        summary: 'Take a seat in an open group buy: places and pays the order (less a coupon\'s discount with `couponId`). Send an Idempotency-Key to retry safely',
        params: IdParams,
        body: JoinGroupBody,
        response: replies({ 200: Group }),
      },
    },
    async (request, reply) =>
      reply.replay(
        await joinGroup(deps, { userId: userIdOf(request), groupId: request.params.id, couponId: request.body.couponId ?? null, idempotency: idempotencyOf(request) }),
      ),
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

  const sheet = deps.paySheet;
  if (sheet) {
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
        const result = await sheet.requestPayment(request.body);
        if (!result.errMsg.endsWith(':ok')) throw new AppError('VALIDATION_FAILED', result.errMsg);
        return result;
      },
    );
  }

  await app.register(wechatPayNotifyRoute, {
    path: WECHATPAY_NOTIFY_PATH,
    tag: 'payments',
    operationId: 'receiveWechatPayNotification',
    summary:
      'WeChat Pay v3 notifications (TRANSACTION.SUCCESS, REFUND.*): verified with the platform key, resource decrypted with the APIv3 key, applied once however often delivered',
    what: 'payment',
    receive: (n) => receiveNotification(deps, n),
  });
};
