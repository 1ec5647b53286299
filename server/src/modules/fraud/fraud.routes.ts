import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AdminPage, FraudFlag, FraudFlagQuery, FraudReviewBody, FraudReviewResult, FraudScanBody, FraudScanResult } from '@jizan/shared';
import { Type } from 'typebox';
import { operatorOf } from '../operators/admin-access.js';
import { adminRoute } from '../operators/admin-route.js';
import { sendPage } from '../operators/paging.js';
import { flagsPage, reviewFlag, scanFraudAsOperator, toFraudFlag } from './fraud.service.js';

const FlagParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** The fraud review queue, registered by adminRoutes under `/admin/v1` behind `adminAccess`. */
export const fraudRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = adminRoute(app);

  app.get(
    '/fraud/flags',
    admin.read({
      operationId: 'adminListFraudFlags',
      summary: 'The fraud review queue, oldest first (filter by status, kind, campaign; cursor-paged; Accept: text/csv)',
      querystring: FraudFlagQuery,
      response: { 200: AdminPage(FraudFlag) },
    }),
    async (request, reply) =>
      sendPage(request, reply, {
        item: FraudFlag,
        name: 'fraud-flags',
        key: ['int'],
        fetch: (after, limit) => {
          const { status, kind, campaignId } = request.query;
          return flagsPage(app.deps, {
            ...(status ? { status } : {}),
            ...(kind ? { kind } : {}),
            ...(campaignId ? { campaignId } : {}),
            afterId: (after?.[0] as number | undefined) ?? null,
            limit,
          });
        },
        keyOf: (row) => [row.id],
        toItem: toFraudFlag,
      }),
  );

  app.post(
    '/fraud/scan',
    admin.write({
      operationId: 'adminScanFraud',
      summary: 'Run the fraud scan now (one campaign, or all recent ones); it also runs as a background job',
      body: FraudScanBody,
      response: { 200: FraudScanResult },
    }, 'read'),
    async (request) => scanFraudAsOperator(app.deps, operatorOf(request), request.body.campaignId ? { campaignId: request.body.campaignId } : {}),
  );

  app.post(
    '/fraud/flags/:id/review',
    admin.write({
      operationId: 'adminReviewFraudFlag',
      summary: "Review a flag: void the user's likes (compensating ledger rows, balances reduced) or dismiss it",
      params: FlagParams,
      body: FraudReviewBody,
      response: { 200: FraudReviewResult },
    }),
    async (request) => reviewFlag(app.deps, operatorOf(request), request.params.id, request.body),
  );
};
