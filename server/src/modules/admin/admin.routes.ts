import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AdminPage, AuditEntry, AuditQuery } from '@jizan/shared';
import { replies } from '../../lib/http.js';
import { auditPage, toAuditEntry } from './admin.service.js';
import { sendPage } from './paging.js';

/** The admin routes' security requirement in OpenAPI (the scheme is declared in plugins/docs.ts). */
const OPERATOR_KEY = [{ operatorKey: [] }];

/** Registered under `/admin/v1` behind `adminAccess`: paths here are relative to that prefix. */
export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
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
        fetch: (after, limit) => auditPage(app.deps, { ...request.query, beforeId: (after?.[0] as number) ?? null, limit }),
        keyOf: (row) => [row.id],
        toItem: toAuditEntry,
      }),
  );
};
