import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CreateShareBody, Group, LikeResponse, ShareLanding, ShareResponse, ShareTokenParams, Team } from '@jizan/shared';
import { Type } from 'typebox';
import type { TSchema } from 'typebox';
import { replies } from '../../lib/http.js';
import { idempotencyOf } from '../../lib/request-fingerprint.js';
import { userIdOf } from '../../plugins/auth.js';
import type { GroupBuyDeps } from '../groupbuy/groupbuy.deps.js';
import type { Outcome } from '../idempotency/idempotency.service.js';
import { createShare, joinThroughShare, likeShare, openShare, type ShareActionRequest, type ShareDeps } from './shares.service.js';

/** Group-buy cards join through the group buy's own dependencies (its payment provider and notifier). */
export const sharesRoutes: FastifyPluginAsyncTypebox<{ groupBuy: GroupBuyDeps }> = async (app, { groupBuy }) => {
  app.post(
    '/v1/shares',
    {
      config: { rateLimit: app.rateLimits.writes },
      schema: {
        operationId: 'createShare',
        tags: ['shares'],
        summary: 'Make a share card (like: "help me collect energy"; team: "join my team"; groupbuy: "join my group buy", with groupId)',
        body: CreateShareBody,
        response: replies({ 201: ShareResponse }),
      },
    },
    async (request, reply) => {
      return reply.replay(await createShare(app.deps, { userId: userIdOf(request), ...request.body, idempotency: idempotencyOf(request) }));
    },
  );

  app.get(
    '/v1/shares/:token',
    {
      // Each open writes a row, and anonymous ones come from anywhere: a budget per user or address.
      config: { auth: 'optional', rateLimit: app.rateLimits.opens },
      schema: {
        operationId: 'openShare',
        tags: ['shares'],
        summary: 'The landing a share card opens; works without login and records the open',
        security: [{}, { bearer: [] }],
        params: ShareTokenParams,
        response: replies({ 200: ShareLanding }),
      },
    },
    async (request) => openShare(app.deps, request.params.token, request.userId),
  );

  /** A friend's action on a card: same auth, limits, idempotency and error shape for each. */
  function action<T>(
    name: 'like' | 'join',
    operationId: string,
    summary: string,
    response: TSchema,
    run: (deps: ShareDeps & { groupBuy: GroupBuyDeps }, req: ShareActionRequest) => Promise<Outcome<T>>,
  ) {
    app.post(
      `/v1/shares/:token/${name}`,
      {
        config: { rateLimit: app.rateLimits.writes },
        schema: { operationId, tags: ['shares'], summary, params: ShareTokenParams, response: replies({ 200: response }) },
      },
      async (request, reply) =>
        reply.replay(await run({ ...app.deps, groupBuy }, { token: request.params.token, userId: userIdOf(request), idempotency: idempotencyOf(request) })),
    );
  }

  action('like', 'likeShare', 'Like the sharer: adds energy to them and their team. Send an Idempotency-Key to retry safely', LikeResponse, likeShare);
  action(
    'join',
    'joinThroughShare',
    "Join through the card: a groupbuy card takes a seat in its group at the group price (answers the group, 200); other cards join the sharer's team (answers the team). Send an Idempotency-Key to retry safely",
    Type.Union([Team, Group]),
    joinThroughShare,
  );
};
