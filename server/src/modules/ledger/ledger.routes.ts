import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LedgerQuery, LedgerResponse } from '@jizan/shared';
import { replies } from '../../lib/http.js';
import { userIdOf } from '../../plugins/auth.js';
import { myLedger } from './ledger.service.js';

export const ledgerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/me/ledger',
    {
      schema: {
        operationId: 'getMyLedger',
        tags: ['ledger'],
        summary: 'My energy history in a campaign, newest first, cursor-paged',
        querystring: LedgerQuery,
        response: replies({ 200: LedgerResponse }),
      },
    },
    async (request) => myLedger(app.deps, userIdOf(request), request.query),
  );
};
