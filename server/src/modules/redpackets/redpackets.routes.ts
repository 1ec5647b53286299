import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CampaignRedPackets,
  ClaimRedPacketBody,
  ClaimRedPacketResponse,
  IdParams,
  MyRedPacketsQuery,
  MyRedPacketsResponse,
} from '@jizan/shared';
import { replies } from '../../lib/http.js';
import { idempotencyOf } from '../../lib/request-fingerprint.js';
import { userIdOf } from '../../plugins/auth.js';
import { claimRedPacket, getCampaignRedPackets, myRedPackets } from './redpackets.service.js';

export const redPacketsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/campaigns/:id/redpackets',
    {
      schema: {
        operationId: 'getCampaignRedPackets',
        tags: ['red packets'],
        summary: 'The red-packet ladder as I stand on it (reached, claimed, claimable), my next tier, the budget left and the prize pool',
        params: IdParams,
        response: replies({ 200: CampaignRedPackets }),
      },
    },
    async (request) => getCampaignRedPackets(app.deps, request.params.id, userIdOf(request)),
  );

  app.post(
    '/v1/redpackets/claim',
    {
      config: { rateLimit: app.rateLimits.writes },
      schema: {
        operationId: 'claimRedPacket',
        tags: ['red packets'],
        summary: 'Claim the red packet of a reached tier, once per tier. Send an Idempotency-Key to retry safely',
        body: ClaimRedPacketBody,
        response: replies({ 201: ClaimRedPacketResponse }),
      },
    },
    async (request, reply) =>
      reply.replay(await claimRedPacket(app.deps, { userId: userIdOf(request), ...request.body, idempotency: idempotencyOf(request) })),
  );

  app.get(
    '/v1/me/redpackets',
    {
      schema: {
        operationId: 'listMyRedPackets',
        tags: ['red packets'],
        summary: 'My red packets (tier claims and pool shares) with their delivery, newest first, cursor-paged',
        querystring: MyRedPacketsQuery,
        response: replies({ 200: MyRedPacketsResponse }),
      },
    },
    async (request) => myRedPackets(app.deps, userIdOf(request), request.query),
  );
};
