import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ErrorResponse,
  NotificationFailure,
  SimulatedConfirmBody,
  SimulatedPayResult,
  TransferConfirmation,
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
import { AppError } from '../../lib/errors.js';
import { TRANSFER_NOTIFY_PATH, type Payouts } from './payouts.js';
import { claimRedPacket, getCampaignRedPackets, myRedPackets } from './redpackets.service.js';
import { receiveTransferNotification, transferConfirmation } from './transfers.service.js';

const RedPacketParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$', description: 'Red packet id' }) });

export const redPacketsRoutes: FastifyPluginAsyncTypebox<{ payouts: Payouts }> = async (app, opts) => {
  const payouts = opts.payouts;
  const cash = { available: payouts.payouts !== null, holdMinutes: payouts.holdMinutes };
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
      reply.replay(await claimRedPacket({ ...app.deps, cash }, { userId: userIdOf(request), ...request.body, idempotency: idempotencyOf(request) })),
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

  app.post(
    '/v1/redpackets/:id/confirm',
    {
      config: { rateLimit: app.rateLimits.writes },
      schema: {
        operationId: 'confirmRedPacketTransfer',
        tags: ['red packets'],
        summary: 'What requestMerchantTransfer needs (mchId, appId, package) to confirm my red packet waiting for 确认收款',
        params: RedPacketParams,
        response: replies({ 200: TransferConfirmation }),
      },
    },
    async (request) => transferConfirmation(payouts, userIdOf(request), Number(request.params.id), payouts.simulator !== null),
  );

  const simulator = payouts.simulator;
  if (simulator) {
    app.post(
      '/v1/redpackets/simulator/confirm',
      {
        config: { rateLimit: app.rateLimits.writes },
        schema: {
          operationId: 'confirmTransferSimulated',
          tags: ['red packets'],
          summary: 'Development only: the simulated platform\'s 确认收款 page. The user confirms and the simulator pays and notifies',
          body: SimulatedConfirmBody,
          response: replies({ 200: SimulatedPayResult }),
        },
      },
      async (request) => {
        const result = await simulator.confirm(request.body);
        if (!result.errMsg.endsWith(':ok')) throw new AppError('VALIDATION_FAILED', result.errMsg);
        return result;
      },
    );
  }

  // Raw body: the platform's signature covers it byte for byte (as the payment notification's scope).
  await app.register(async (scope) => {
    scope.decorateRequest('rawBody', null);
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
      request.rawBody = body as string;
      done(null, undefined);
    });
    scope.post(
      TRANSFER_NOTIFY_PATH,
      {
        config: { auth: 'none' },
        schema: {
          tags: ['red packets'],
          operationId: 'receiveTransferNotification',
          summary: 'WeChat Pay merchant transfer notifications (MCHTRANSFER.BILL.FINISHED): verified, decrypted, applied once however often delivered',
          security: [],
          response: {
            204: Type.Null({ description: 'Applied (or already applied)' }),
            '4xx': Type.Union([NotificationFailure, ErrorResponse]),
            '5xx': Type.Union([NotificationFailure, ErrorResponse]),
          },
        },
      },
      async (request, reply) => {
        const answer = await receiveTransferNotification(payouts, { headers: request.headers, rawBody: request.rawBody ?? '' });
        if (answer.status >= 300) request.log.warn({ status: answer.status, reason: answer.body?.message }, 'transfer notification refused');
        return answer.body ? reply.code(answer.status as 400 | 401 | 500).send(answer.body) : reply.code(204).send(null);
      },
    );
  });
};
