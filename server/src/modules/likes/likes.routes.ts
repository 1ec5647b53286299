import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MyLikesQuery, MyLikesResponse } from '@jizan/shared';
import { replies } from '../../lib/http.js';
import { userIdOf } from '../../plugins/auth.js';
import { myLikes } from './likes.service.js';

export const likesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/me/likes',
    {
      schema: {
        operationId: 'getMyLikes',
        tags: ['likes'],
        summary: 'Friends who liked me in a campaign, and friends I liked, each counted once, latest first',
        querystring: MyLikesQuery,
        response: replies({ 200: MyLikesResponse }),
      },
    },
    async (request) => myLikes(app.deps, userIdOf(request), request.query.campaignId),
  );
};
