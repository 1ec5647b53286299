import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CampaignListResponse } from '@jizan/shared';
import { replies } from '../../lib/http.js';
import { listLiveCampaigns } from './campaigns.service.js';

// The campaign page (`GET /v1/campaigns/:id`) is served by modules/standing: it adds the caller's
// energy, likes and team, which campaigns must not depend on.
export const campaignsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/campaigns',
    {
      schema: {
        operationId: 'listCampaigns',
        tags: ['campaigns'],
        summary: 'Live campaigns',
        response: replies({ 200: CampaignListResponse }),
      },
    },
    async () => listLiveCampaigns(app.deps),
  );
};
