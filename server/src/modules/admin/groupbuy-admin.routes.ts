import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AdminOrder, AdminOrderQuery, AdminPage, AdminPageQuery, AdminRefund, AdminRefundList, AdminRefundQuery, IdParams, PaymentAnomaly } from '@jizan/shared';
import type { GroupBuyDeps } from '../groupbuy/groupbuy.deps.js';
import { operatorOf } from '../operators/admin-access.js';
import { adminRoute } from '../operators/admin-route.js';
import { sendPage } from '../operators/paging.js';
import { anomaliesPage, ordersPage, retryRefundAsOperator, stuckRefunds, toAdminOrder, toPaymentAnomaly } from './groupbuy-admin.service.js';

export interface GroupBuyAdminRoutesOptions {
  /** The app's one set of group-buy deps: a retried refund goes to the same payment provider as the jobs'. */
  groupBuy: GroupBuyDeps;
}

/** The group buy's money for operators, under `/admin/v1` behind `adminAccess`. */
export const groupBuyAdminRoutes: FastifyPluginAsyncTypebox<GroupBuyAdminRoutesOptions> = async (app, opts) => {
  const admin = adminRoute(app);

  app.get(
    '/orders',
    admin.read({
      operationId: 'adminListOrders',
      summary: 'Group-buy orders, newest first, by campaign, status or user; amounts in fen (cursor-paged; ?format=csv or Accept: text/csv streams them)',
      querystring: AdminOrderQuery,
      response: { 200: AdminPage(AdminOrder) },
    }),
    async (request, reply) => {
      const { format, ...filters } = request.query;
      // A CSV link opened in a browser cannot set Accept: the query says it instead.
      if (format === 'csv') request.headers.accept = 'text/csv';
      return sendPage(request, reply, {
        item: AdminOrder,
        name: 'orders',
        key: ['time', 'text'],
        fetch: (after, limit) => ordersPage(app.deps, { ...filters, after, limit }),
        keyOf: (row) => [row.createdAt.toISOString(), row.id],
        toItem: toAdminOrder,
      });
    },
  );

  app.get(
    '/refunds',
    admin.read({
      operationId: 'adminListStuckRefunds',
      summary: 'Refunds that kept failing and wait for an operator, oldest first',
      querystring: AdminRefundQuery,
      response: { 200: AdminRefundList },
    }),
    async () => ({ items: await stuckRefunds(app.deps) }),
  );

  app.post(
    '/refunds/:id/retry',
    admin.write({
      operationId: 'adminRetryRefund',
      summary: 'Send a stuck refund round again with a fresh set of attempts (audited); the refund job makes them',
      params: IdParams,
      response: { 200: AdminRefund },
    }),
    async (request) => retryRefundAsOperator(opts.groupBuy, operatorOf(request), request.params.id),
  );

  app.get(
    '/payment-anomalies',
    admin.read({
      operationId: 'adminListPaymentAnomalies',
      summary: 'Money the platform reported that matched no order of ours (unknown order, other amount, other payer), newest first (cursor-paged; Accept: text/csv streams it)',
      querystring: AdminPageQuery,
      response: { 200: AdminPage(PaymentAnomaly) },
    }),
    async (request, reply) =>
      sendPage(request, reply, {
        item: PaymentAnomaly,
        name: 'payment-anomalies',
        key: ['int'],
        fetch: (after, limit) => anomaliesPage(app.deps, { beforeId: (after?.[0] as number | undefined) ?? null, limit }),
        keyOf: (row) => [row.id],
        toItem: toPaymentAnomaly,
      }),
  );
};
