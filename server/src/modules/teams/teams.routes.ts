import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CreateTeamBody, IdParams, Team } from '@jizan/shared';
import { replies } from '../../lib/http.js';
import { idempotencyOf } from '../../lib/request-fingerprint.js';
import { userIdOf } from '../../plugins/auth.js';
import { createTeam, getTeam } from './teams.service.js';

export const teamsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/campaigns/:id/teams',
    {
      config: { rateLimit: app.rateLimits.writes },
      schema: {
        operationId: 'createTeam',
        tags: ['teams'],
        summary: 'Found a team in the campaign; the caller becomes its captain',
        params: IdParams,
        body: CreateTeamBody,
        response: replies({ 201: Team }),
      },
    },
    async (request, reply) => {
      const req = { campaignId: request.params.id, userId: userIdOf(request), name: request.body.name, idempotency: idempotencyOf(request) };
      return reply.replay(await createTeam(app.deps, req));
    },
  );
  app.get(
    '/v1/teams/:id',
    {
      schema: {
        operationId: 'getTeam',
        tags: ['teams'],
        summary: 'A team: members with energy, team energy and rank',
        params: IdParams,
        response: replies({ 200: Team }),
      },
    },
    async (request) => getTeam(app.deps, request.params.id),
  );
};
