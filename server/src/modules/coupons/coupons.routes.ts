import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MyCouponsQuery, MyCouponsResponse } from '@jizan/shared';
import { replies } from '../../lib/http.js';
import { userIdOf } from '../../plugins/auth.js';
import { myCoupons } from './coupons.service.js';

export const couponsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/me/coupons',
    {
      schema: {
        operationId: 'listMyCoupons',
        tags: ['red packets'],
        summary: 'My coupons, newest first; with productId only those usable on it now, each with the fen it takes off its group price',
        querystring: MyCouponsQuery,
        response: replies({ 200: MyCouponsResponse }),
      },
    },
    async (request) => myCoupons(app.deps, userIdOf(request), request.query),
  );
};
