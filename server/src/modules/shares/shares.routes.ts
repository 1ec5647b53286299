import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CreateShareBody, Group, LikeResponse, ShareLanding, ShareLandingQuery, ShareResponse, ShareSceneParams, ShareSceneResponse, ShareTokenParams, Team } from '@jizan/shared';
import { Type } from 'typebox';
import type { TSchema } from 'typebox';
import { replies } from '../../lib/http.js';
import { idempotencyOf } from '../../lib/request-fingerprint.js';
import { userIdOf } from '../../plugins/auth.js';
import type { GroupBuyDeps } from '../groupbuy/groupbuy.deps.js';
import type { Outcome } from '../idempotency/idempotency.service.js';
import type { PosterCodeSettings } from './poster-code.js';
import { posterCode, resolveScene } from './posters.service.js';
import { ShareImageParams, shareImage } from './share-images.js';
import { createShare, joinThroughShare, likeShare, openShare, type ShareActionRequest, type ShareDeps } from './shares.service.js';

/** Group-buy cards join through the group buy's own dependencies (its payment provider and notifier). */
export const sharesRoutes: FastifyPluginAsyncTypebox<{ groupBuy: GroupBuyDeps; posterCodes: PosterCodeSettings }> = async (app, { groupBuy, posterCodes }) => {
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
        querystring: ShareLandingQuery,
        response: replies({ 200: ShareLanding }),
      },
    },
    async (request) => openShare(app.deps, request.params.token, request.userId, request.query.channel),
  );

  app.get(
    '/v1/shares/:token/poster-code',
    {
      // Public like the landing (the poster's canvas loads it as a picture); each new scene costs a platform call.
      config: { auth: 'none', rateLimit: app.rateLimits.opens },
      schema: {
        operationId: 'getPosterCode',
        tags: ['shares'],
        summary: "The card's poster code: the platform's mini-program code (PNG) opening the share page with the card's short scene",
        security: [],
        params: ShareTokenParams,
        response: replies({ 200: Type.Unknown({ description: 'The PNG picture' }) }),
      },
    },
    async (request, reply) => {
      const png = await posterCode({ ...app.deps, posterCodes }, request.params.token);
      // A scene's code never changes; an hour keeps a hot poster off the platform's per-minute quota.
      return reply.type('image/png').header('cache-control', 'public, max-age=3600').send(png);
    },
  );

  app.get(
    '/v1/share-scenes/:scene',
    {
      config: { auth: 'none', rateLimit: app.rateLimits.opens },
      schema: {
        operationId: 'resolveShareScene',
        tags: ['shares'],
        summary: "What a scanned poster code's scene opens: the card's token and page; unknown or expired: SHARE_SCENE_NOT_FOUND",
        security: [],
        params: ShareSceneParams,
        response: replies({ 200: ShareSceneResponse }),
      },
    },
    async (request) => resolveScene(app.deps, request.params.scene),
  );

  app.get(
    '/v1/share-images/:file',
    {
      config: { auth: 'none' },
      schema: {
        operationId: 'getShareImage',
        tags: ['shares'],
        summary: "A card's picture in the chat (5:4 PNG), one per kind",
        security: [],
        params: ShareImageParams,
        response: replies({ 200: Type.Unknown({ description: 'The PNG picture' }) }),
      },
    },
    async (request, reply) => {
      const png = await shareImage(request.params.file);
      return reply.type('image/png').header('cache-control', 'public, max-age=86400').send(png);
    },
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
