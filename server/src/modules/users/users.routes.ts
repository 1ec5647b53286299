import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Me, UpdateMeBody } from '@jizan/shared';
import { replies } from '../../lib/http.js';
import { userIdOf } from '../../plugins/auth.js';
import { getMe, updateMe } from './users.service.js';

export const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/me',
    { schema: { operationId: 'getMe', tags: ['users'], summary: 'The logged-in user', response: replies({ 200: Me }) } },
    async (request) => getMe(app.deps, userIdOf(request)),
  );
  app.patch(
    '/v1/me',
    {
      schema: {
        operationId: 'updateMe',
        tags: ['users'],
        summary: 'Set my nickname and avatar (the platform no longer gives them at login)',
        body: UpdateMeBody,
        response: replies({ 200: Me }),
      },
    },
    async (request) => updateMe(app.deps, userIdOf(request), request.body),
  );
};
