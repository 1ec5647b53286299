import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, LeaderboardQuery, LeaderboardResponse } from '@jizan/shared';
import { replies } from '../../lib/http.js';
import { userIdOf } from '../../plugins/auth.js';
import { leaderboard } from './leaderboard.service.js';

export const leaderboardRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/campaigns/:id/leaderboard',
    {
      schema: {
        operationId: 'getLeaderboard',
        tags: ['leaderboard'],
        summary: 'Top teams or users by energy, plus the caller’s own rank',
        params: IdParams,
        querystring: LeaderboardQuery,
        response: replies({ 200: LeaderboardResponse }),
      },
    },
    async (request) => leaderboard(app.deps, request.params.id, userIdOf(request), request.query),
  );
};
