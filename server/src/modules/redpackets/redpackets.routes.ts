import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  SimulatedConfirmBody,
  TRANSFER_NOTIFY_PATH,
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
import { wechatPayNotifyRoute } from '../../plugins/wechatpay-notify.js';
import { AppError } from '../../lib/errors.js';
import type { Payouts } from './payouts.js';
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
    async (request) => transferConfirmation(payouts, userIdOf(request), Number(request.params.id), payouts.confirmSheet !== null),
  );

  const sheet = payouts.confirmSheet;
  if (sheet) {
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
        const result = await sheet.confirm(request.body);
        if (!result.errMsg.endsWith(':ok')) throw new AppError('VALIDATION_FAILED', result.errMsg);
        return result;
      },
    );
  }

  await app.register(wechatPayNotifyRoute, {
    path: TRANSFER_NOTIFY_PATH,
    tag: 'red packets',
    operationId: 'receiveTransferNotification',
    summary: 'WeChat Pay merchant transfer notifications (MCHTRANSFER.BILL.FINISHED): verified, decrypted, applied once however often delivered',
    what: 'transfer',
    receive: (n) => receiveTransferNotification(payouts, n),
  });
};
