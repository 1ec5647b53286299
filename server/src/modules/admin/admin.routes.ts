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
import { replies } from '../../lib/http.js';
import { fraudRoutes } from '../fraud/fraud.routes.js';
import { OPERATOR_KEY, operatorOf } from '../operators/admin-access.js';
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
  const writes = { rateLimit: app.rateLimits.writes };

  app.get(
    '/audit',
    {
      schema: {
        operationId: 'adminListAudit',
        tags: ['admin'],
        summary: 'The audit log of operator writes, newest first (cursor-paged; Accept: text/csv streams it)',
        security: OPERATOR_KEY,
        querystring: AuditQuery,
        response: replies({ 200: AdminPage(AuditEntry) }),
      },
    },
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
    {
      schema: {
        operationId: 'adminListCampaigns',
        tags: ['admin'],
        summary: 'Every campaign in every state (drafts included), newest first; `state` filters',
        security: OPERATOR_KEY,
        querystring: AdminCampaignListQuery,
        response: replies({ 200: AdminPage(AdminCampaign) }),
      },
    },
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
    {
      schema: {
        operationId: 'adminGetCampaign',
        tags: ['admin'],
        summary: 'One campaign with its lifecycle state and rules',
        security: OPERATOR_KEY,
        params: IdParams,
        response: replies({ 200: AdminCampaign }),
      },
    },
    async (request) => getAdminCampaign(app.deps, request.params.id),
  );

  app.post(
    '/campaigns',
    {
      config: writes,
      schema: {
        operationId: 'adminCreateCampaign',
        tags: ['admin'],
        summary: 'Create a campaign as a draft (invisible to users until moved to scheduled)',
        security: OPERATOR_KEY,
        body: AdminCreateCampaignBody,
        response: replies({ 201: AdminCampaign }),
      },
    },
    async (request, reply) => reply.status(201).send(await createCampaignAsOperator(app.deps, operatorOf(request), request.body)),
  );

  app.patch(
    '/campaigns/:id',
    {
      config: writes,
      schema: {
        operationId: 'adminUpdateCampaign',
        tags: ['admin'],
        summary: 'Edit a campaign: name, window, rules (merged and validated; the next like uses them)',
        security: OPERATOR_KEY,
        params: IdParams,
        body: AdminUpdateCampaignBody,
        response: replies({ 200: AdminCampaign }),
      },
    },
    async (request) => updateCampaignAsOperator(app.deps, operatorOf(request), request.params.id, request.body),
  );

  app.post(
    '/campaigns/:id/transition',
    {
      config: writes,
      schema: {
        operationId: 'adminTransitionCampaign',
        tags: ['admin'],
        summary: 'Move a campaign one step: draft → scheduled (publish) → live (start now) → ended (end now) → settled (settle red packets)',
        security: OPERATOR_KEY,
        params: IdParams,
        body: AdminTransitionBody,
        response: replies({ 200: AdminCampaign }),
      },
    },
    async (request) => transitionCampaign(deps(), operatorOf(request), request.params.id, request.body.to),
  );

  app.post(
    '/campaigns/:id/products',
    {
      config: writes,
      schema: {
        operationId: 'adminCreateProduct',
        tags: ['admin'],
        summary: 'Add a group-buy product to a campaign',
        security: OPERATOR_KEY,
        params: IdParams,
        body: AdminCreateProductBody,
        response: replies({ 201: Product }),
      },
    },
    async (request, reply) => reply.status(201).send(await createProductAsOperator(app.deps, operatorOf(request), request.params.id, request.body)),
  );

  app.patch(
    '/products/:id',
    {
      config: writes,
      schema: {
        operationId: 'adminUpdateProduct',
        tags: ['admin'],
        summary: 'Edit a product (title, images, prices, per-user limit), checked like a new one',
        security: OPERATOR_KEY,
        params: IdParams,
        body: AdminUpdateProductBody,
        response: replies({ 200: Product }),
      },
    },
    async (request) => updateProductAsOperator(app.deps, operatorOf(request), request.params.id, request.body),
  );

  app.post(
    '/products/:id/stock',
    {
      config: writes,
      schema: {
        operationId: 'adminAdjustStock',
        tags: ['admin'],
        summary: 'Add or remove stock (never below zero)',
        security: OPERATOR_KEY,
        params: IdParams,
        body: AdminStockBody,
        response: replies({ 200: Product }),
      },
    },
    async (request) => adjustStockAsOperator(app.deps, operatorOf(request), request.params.id, request.body),
  );

  app.get(
    '/campaigns/:id/ledger-audit',
    {
      schema: {
        operationId: 'adminLedgerAudit',
        tags: ['admin'],
        summary: "The campaign's books: energy balances, group-buy money and red packets against their ledgers; every mismatch listed",
        security: OPERATOR_KEY,
        params: IdParams,
        response: replies({ 200: LedgerAudit }),
      },
    },
    async (request) => ledgerAudit(app.deps, request.params.id),
  );

  app.get(
    '/users/:id',
    {
      schema: {
        operationId: 'adminGetUser',
        tags: ['admin'],
        summary: 'One user: energy, ledger, likes given and received, teams, groups, orders, red packets, fraud flags',
        security: OPERATOR_KEY,
        params: IdParams,
        response: replies({ 200: AdminUser }),
      },
    },
    async (request) => getAdminUser(app.deps, { id: request.params.id }),
  );

  app.get(
    '/users',
    {
      schema: {
        operationId: 'adminFindUserByOpenid',
        tags: ['admin'],
        summary: "The same view of a user, found by the chat platform's openid",
        security: OPERATOR_KEY,
        querystring: AdminUserQuery,
        response: replies({ 200: AdminUser }),
      },
    },
    async (request) => getAdminUser(app.deps, { openid: request.query.openid }),
  );

  app.get(
    '/users/:id/ledger',
    {
      schema: {
        operationId: 'adminUserLedger',
        tags: ['admin'],
        summary: "A user's energy ledger rows, newest first, in every campaign or one (cursor-paged; Accept: text/csv streams it)",
        security: OPERATOR_KEY,
        params: IdParams,
        querystring: AdminUserLedgerQuery,
        response: replies({ 200: AdminPage(AdminLedgerEntry) }),
      },
    },
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
    {
      schema: {
        operationId: 'adminUserLikes',
        tags: ['admin'],
        summary: 'Likes a user gave or received, newest first, voided ones marked (cursor-paged; Accept: text/csv streams them)',
        security: OPERATOR_KEY,
        params: IdParams,
        querystring: AdminUserLikesQuery,
        response: replies({ 200: AdminPage(AdminLike) }),
      },
    },
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
