import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AdminCampaign,
  AdminCampaignListQuery,
  AdminCreateCampaignBody,
  AdminCreateProductBody,
  AdminPage,
  AdminStockBody,
  AdminTransitionBody,
  AdminUpdateCampaignBody,
  AdminUpdateProductBody,
  AdminLedgerEntry,
  AdminLike,
  AdminUser,
  AdminUserLedgerQuery,
  AdminUserLikesQuery,
  AdminUserQuery,
  AuditEntry,
  AuditQuery,
  LedgerAudit,
  IdParams,
  Product,
} from '@jizan/shared';
import { fraudRoutes } from '../fraud/fraud.routes.js';
import { operatorOf } from '../operators/admin-access.js';
import { adminRoute } from '../operators/admin-route.js';
import { auditPage, toAuditEntry } from '../operators/audit.service.js';
import { sendPage } from '../operators/paging.js';
import {
  adjustStockAsOperator,
  campaignsPage,
  createCampaignAsOperator,
  createProductAsOperator,
  getAdminCampaign,
  getAdminUser,
  ledgerAudit,
  toAdminCampaign,
  toAdminLedgerEntry,
  toAdminLike,
  transitionCampaign,
  updateCampaignAsOperator,
  updateProductAsOperator,
  userLedgerPage,
  userLikesPage,
  type SettleCampaign,
} from './admin.service.js';

export interface AdminRoutesOptions {
  /** Red-packet settlement bound to its payout provider, for the `ended → settled` move. */
  settle: SettleCampaign;
}

/** Registered under `/admin/v1` behind `adminAccess`: paths here are relative to that prefix. */
export const adminRoutes: FastifyPluginAsyncTypebox<AdminRoutesOptions> = async (app, opts) => {
  const deps = () => ({ ...app.deps, settle: opts.settle });
  const admin = adminRoute(app);

  app.get(
    '/audit',
    admin.read({
      operationId: 'adminListAudit',
      summary: 'The audit log of operator writes, newest first (cursor-paged; Accept: text/csv streams it)',
      querystring: AuditQuery,
      response: { 200: AdminPage(AuditEntry) },
    }),
    async (request, reply) =>
      sendPage(request, reply, {
        item: AuditEntry,
        name: 'audit',
        key: ['int'],
        fetch: (after, limit) => auditPage(app.deps, { ...request.query, beforeId: (after?.[0] as number | undefined) ?? null, limit }),
        keyOf: (row) => [row.id],
        toItem: toAuditEntry,
      }),
  );

  app.get(
    '/campaigns',
    admin.read({
      operationId: 'adminListCampaigns',
      summary: 'Every campaign in every state (drafts included), newest first; `state` filters',
      querystring: AdminCampaignListQuery,
      response: { 200: AdminPage(AdminCampaign) },
    }),
    async (request, reply) => {
      const now = app.deps.clock.now();
      return sendPage(request, reply, {
        item: AdminCampaign,
        name: 'campaigns',
        key: ['time', 'text'],
        fetch: (after, limit) => campaignsPage(app.deps, { ...(request.query.state ? { state: request.query.state } : {}), now, after, limit }),
        keyOf: (row) => [row.createdAt.toISOString(), row.id],
        toItem: (row) => toAdminCampaign(row, now),
      });
    },
  );

  app.get(
    '/campaigns/:id',
    admin.read({
      operationId: 'adminGetCampaign',
      summary: 'One campaign with its lifecycle state and rules',
      params: IdParams,
      response: { 200: AdminCampaign },
    }),
    async (request) => getAdminCampaign(app.deps, request.params.id),
  );

  app.post(
    '/campaigns',
    admin.write({
      operationId: 'adminCreateCampaign',
      summary: 'Create a campaign as a draft (invisible to users until moved to scheduled)',
      body: AdminCreateCampaignBody,
      response: { 201: AdminCampaign },
    }),
    async (request, reply) => reply.status(201).send(await createCampaignAsOperator(app.deps, operatorOf(request), request.body)),
  );

  app.patch(
    '/campaigns/:id',
    admin.write({
      operationId: 'adminUpdateCampaign',
      summary: 'Edit a campaign: name, window, rules (merged and validated; the next like uses them)',
      params: IdParams,
      body: AdminUpdateCampaignBody,
      response: { 200: AdminCampaign },
    }),
    async (request) => updateCampaignAsOperator(app.deps, operatorOf(request), request.params.id, request.body),
  );

  app.post(
    '/campaigns/:id/transition',
    admin.write({
      operationId: 'adminTransitionCampaign',
      summary: 'Move a campaign one step: draft → scheduled (publish) → live (start now) → ended (end now) → settled (settle red packets)',
      params: IdParams,
      body: AdminTransitionBody,
      response: { 200: AdminCampaign },
    }),
    async (request) => transitionCampaign(deps(), operatorOf(request), request.params.id, request.body.to),
  );

  app.post(
    '/campaigns/:id/products',
    admin.write({
      operationId: 'adminCreateProduct',
      summary: 'Add a group-buy product to a campaign',
      params: IdParams,
      body: AdminCreateProductBody,
      response: { 201: Product },
    }),
    async (request, reply) => reply.status(201).send(await createProductAsOperator(app.deps, operatorOf(request), request.params.id, request.body)),
  );

  app.patch(
    '/products/:id',
    admin.write({
      operationId: 'adminUpdateProduct',
      summary: 'Edit a product (title, images, prices, per-user limit), checked like a new one',
      params: IdParams,
      body: AdminUpdateProductBody,
      response: { 200: Product },
    }),
    async (request) => updateProductAsOperator(app.deps, operatorOf(request), request.params.id, request.body),
  );

  app.post(
    '/products/:id/stock',
    admin.write({
      operationId: 'adminAdjustStock',
      summary: 'Add or remove stock (never below zero)',
      params: IdParams,
      body: AdminStockBody,
      response: { 200: Product },
    }),
    async (request) => adjustStockAsOperator(app.deps, operatorOf(request), request.params.id, request.body),
  );

  app.get(
    '/campaigns/:id/ledger-audit',
    admin.read({
      operationId: 'adminLedgerAudit',
      summary: "The campaign's books: energy balances, group-buy money and red packets against their ledgers; every mismatch listed",
      params: IdParams,
      response: { 200: LedgerAudit },
    }),
    async (request) => ledgerAudit(app.deps, request.params.id),
  );

  app.get(
    '/users/:id',
    admin.read({
      operationId: 'adminGetUser',
      summary: 'One user: energy, ledger, likes given and received, teams, groups, orders, red packets, fraud flags',
      params: IdParams,
      response: { 200: AdminUser },
    }),
    async (request) => getAdminUser(app.deps, { id: request.params.id }),
  );

  app.get(
    '/users',
    admin.read({
      operationId: 'adminFindUserByOpenid',
      summary: "The same view of a user, found by the chat platform's openid",
      querystring: AdminUserQuery,
      response: { 200: AdminUser },
    }),
    async (request) => getAdminUser(app.deps, { openid: request.query.openid }),
  );

  app.get(
    '/users/:id/ledger',
    admin.read({
      operationId: 'adminUserLedger',
      summary: "A user's energy ledger rows, newest first, in every campaign or one (cursor-paged; Accept: text/csv streams it)",
      params: IdParams,
      querystring: AdminUserLedgerQuery,
      response: { 200: AdminPage(AdminLedgerEntry) },
    }),
    async (request, reply) =>
      sendPage(request, reply, {
        item: AdminLedgerEntry,
        name: 'ledger',
        key: ['int'],
        fetch: (after, limit) =>
          userLedgerPage(app.deps, request.params.id, { campaignId: request.query.campaignId ?? null, beforeId: (after?.[0] as number | undefined) ?? null, limit }),
        keyOf: (row) => [row.id],
        toItem: toAdminLedgerEntry,
      }),
  );

  app.get(
    '/users/:id/likes',
    admin.read({
      operationId: 'adminUserLikes',
      summary: 'Likes a user gave or received, newest first, voided ones marked (cursor-paged; Accept: text/csv streams them)',
      params: IdParams,
      querystring: AdminUserLikesQuery,
      response: { 200: AdminPage(AdminLike) },
    }),
    async (request, reply) =>
      sendPage(request, reply, {
        item: AdminLike,
        name: `likes-${request.query.side}`,
        key: ['int'],
        fetch: (after, limit) =>
          userLikesPage(app.deps, request.params.id, {
            side: request.query.side,
            campaignId: request.query.campaignId ?? null,
            beforeId: (after?.[0] as number | undefined) ?? null,
            limit,
          }),
        keyOf: (row) => [row.id],
        toItem: toAdminLike,
      }),
  );

  // The fraud review queue's routes live with the fraud module, behind the same operator access.
  await app.register(fraudRoutes);
};
