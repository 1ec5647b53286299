import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CampaignDetail, IdParams } from '@jizan/shared';
import { replies } from '../../lib/http.js';
import { userIdOf } from '../../plugins/auth.js';
import { getCampaignDetail } from './standing.service.js';

export const standingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/campaigns/:id',
    {
      schema: {
        operationId: 'getCampaign',
        tags: ['campaigns'],
        summary: 'A campaign with its rules, my energy and my team',
        params: IdParams,
        response: replies({ 200: CampaignDetail }),
      },
    },
    async (request) => getCampaignDetail(app.deps, request.params.id, userIdOf(request)),
  );
};
