import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AdminPageQuery,
  CampaignFunnel,
  CampaignOverview,
  FunnelQuery,
  HourlyActivity,
  HourlyPage,
  HourlyQuery,
  IdParams,
  InvitesQuery,
  InviteTree,
  KFactorDay,
  KFactorPage,
  RetentionCohort,
  RetentionPage,
  TopInviter,
  TopInvitersPage,
} from '@jizan/shared';
import { replies } from '../../lib/http.js';
import { OPERATOR_KEY } from '../operators/admin-access.js';
import { sendPage } from '../operators/paging.js';
import { campaignFunnel, campaignOverview, hourlyPage, inviteTree, kFactorPage, retentionPage, topInvitersPage } from './insights.service.js';

const read = { operatorScope: 'read' as const };
const CSV_NOTE = ' (cursor-paged; `Accept: text/csv` streams every page as CSV)';

/** The operators' analytics, registered under `/admin/v1` beside adminRoutes (read scope). */
export const insightsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/campaigns/:id/overview',
    {
      config: read,
      schema: {
        operationId: 'adminCampaignOverview',
        tags: ['admin'],
        summary: 'A campaign at a glance: participants, teams, cards, opens, likes, energy, group buys, red packets',
        security: OPERATOR_KEY,
        params: IdParams,
        response: replies({ 200: CampaignOverview }),
      },
    },
    async (request) => campaignOverview(app.deps, request.params.id),
  );

  app.get(
    '/campaigns/:id/funnel',
    {
      config: read,
      schema: {
        operationId: 'adminCampaignFunnel',
        tags: ['admin'],
        summary: 'Card made → opened → unique openers → liked → joined a team → group buy → paid, for a time range',
        security: OPERATOR_KEY,
        params: IdParams,
        querystring: FunnelQuery,
        response: replies({ 200: CampaignFunnel }),
      },
    },
    async (request) => campaignFunnel(app.deps, request.params.id, request.query),
  );

  app.get(
    '/users/:id/invites',
    {
      config: read,
      schema: {
        operationId: 'adminUserInvites',
        tags: ['admin'],
        summary: 'The invite tree below a user in a campaign: whom they brought, and whom those brought',
        security: OPERATOR_KEY,
        params: IdParams,
        querystring: InvitesQuery,
        response: replies({ 200: InviteTree }),
      },
    },
    async (request) => inviteTree(app.deps, request.params.id, request.query),
  );

  app.get(
    '/campaigns/:id/top-inviters',
    {
      config: read,
      schema: {
        operationId: 'adminTopInviters',
        tags: ['admin'],
        summary: `Users by the people they brought, most first${CSV_NOTE}`,
        security: OPERATOR_KEY,
        params: IdParams,
        querystring: AdminPageQuery,
        response: replies({ 200: TopInvitersPage }),
      },
    },
    async (request, reply) =>
      sendPage(request, reply, {
        item: TopInviter,
        name: 'top-inviters',
        key: ['int', 'text'],
        fetch: (after, limit) => topInvitersPage(app.deps, request.params.id, after ? [after[0] as number, after[1] as string] : null, limit),
        keyOf: (row) => [row.invited, row.userId],
        toItem: (row) => row,
      }),
  );

  app.get(
    '/campaigns/:id/k-factor',
    {
      config: read,
      schema: {
        operationId: 'adminKFactor',
        tags: ['admin'],
        summary: `The viral coefficient per campaign day: people brought by each day's new participants, per new participant${CSV_NOTE}`,
        security: OPERATOR_KEY,
        params: IdParams,
        querystring: AdminPageQuery,
        response: replies({ 200: KFactorPage }),
      },
    },
    async (request, reply) =>
      sendPage(request, reply, {
        item: KFactorDay,
        name: 'k-factor',
        key: ['text'],
        fetch: (after, limit) => kFactorPage(app.deps, request.params.id, (after?.[0] as string) ?? null, limit),
        keyOf: (row) => [row.day],
        toItem: (row) => row,
      }),
  );

  app.get(
    '/campaigns/:id/retention',
    {
      config: read,
      schema: {
        operationId: 'adminRetention',
        tags: ['admin'],
        summary: `Cohorts by first-action day, active again 1, 7 and 30 days later, after the campaign's end too${CSV_NOTE}`,
        security: OPERATOR_KEY,
        params: IdParams,
        querystring: AdminPageQuery,
        response: replies({ 200: RetentionPage }),
      },
    },
    async (request, reply) =>
      sendPage(request, reply, {
        item: RetentionCohort,
        name: 'retention',
        key: ['text'],
        fetch: (after, limit) => retentionPage(app.deps, request.params.id, (after?.[0] as string) ?? null, limit),
        keyOf: (row) => [row.day],
        toItem: (row) => row,
      }),
  );

  app.get(
    '/campaigns/:id/hourly',
    {
      config: read,
      schema: {
        operationId: 'adminHourlyActivity',
        tags: ['admin'],
        summary: `Likes, new participants, cards and opens per hour (UTC hours), oldest first${CSV_NOTE}`,
        security: OPERATOR_KEY,
        params: IdParams,
        querystring: HourlyQuery,
        response: replies({ 200: HourlyPage }),
      },
    },
    async (request, reply) =>
      sendPage(request, reply, {
        item: HourlyActivity,
        name: 'hourly',
        key: ['time'],
        fetch: (after, limit) => hourlyPage(app.deps, request.params.id, request.query, (after?.[0] as string) ?? null, limit),
        keyOf: (row) => [row.hour],
        toItem: (row) => row,
      }),
  );
};
