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
import { adminRoute } from '../operators/admin-route.js';
import { sendPage } from '../operators/paging.js';
import { campaignFunnel, campaignOverview, hourlyPage, inviteTree, kFactorPage, retentionPage, topInvitersPage } from './insights.service.js';

const CSV_NOTE = ' (cursor-paged; `Accept: text/csv` streams every page as CSV)';

/** The operators' analytics, registered under `/admin/v1` beside adminRoutes (read scope). */
export const insightsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = adminRoute(app);

  app.get(
    '/campaigns/:id/overview',
    admin.read({
      operationId: 'adminCampaignOverview',
      summary: 'A campaign at a glance: participants, teams, cards, opens, likes, energy, group buys, red packets',
      params: IdParams,
      response: { 200: CampaignOverview },
    }),
    async (request) => campaignOverview(app.deps, request.params.id),
  );

  app.get(
    '/campaigns/:id/funnel',
    admin.read({
      operationId: 'adminCampaignFunnel',
      summary: 'Card made → opened → unique openers → liked → joined a team → group buy → paid, for a time range',
      params: IdParams,
      querystring: FunnelQuery,
      response: { 200: CampaignFunnel },
    }),
    async (request) => campaignFunnel(app.deps, request.params.id, request.query),
  );

  app.get(
    '/users/:id/invites',
    admin.read({
      operationId: 'adminUserInvites',
      summary: 'The invite tree below a user in a campaign: whom they brought, and whom those brought',
      params: IdParams,
      querystring: InvitesQuery,
      response: { 200: InviteTree },
    }),
    async (request) => inviteTree(app.deps, request.params.id, request.query),
  );

  app.get(
    '/campaigns/:id/top-inviters',
    admin.read({
      operationId: 'adminTopInviters',
      summary: `Users by the people they brought, most first${CSV_NOTE}`,
      params: IdParams,
      querystring: AdminPageQuery,
      response: { 200: TopInvitersPage },
    }),
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
    admin.read({
      operationId: 'adminKFactor',
      summary: `The viral coefficient per campaign day: people brought by each day's new participants, per new participant${CSV_NOTE}`,
      params: IdParams,
      querystring: AdminPageQuery,
      response: { 200: KFactorPage },
    }),
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
    admin.read({
      operationId: 'adminRetention',
      summary: `Cohorts by first-action day, active again 1, 7 and 30 days later, after the campaign's end too${CSV_NOTE}`,
      params: IdParams,
      querystring: AdminPageQuery,
      response: { 200: RetentionPage },
    }),
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
    admin.read({
      operationId: 'adminHourlyActivity',
      summary: `Likes, new participants, cards and opens per hour (UTC hours), oldest first${CSV_NOTE}`,
      params: IdParams,
      querystring: HourlyQuery,
      response: { 200: HourlyPage },
    }),
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
