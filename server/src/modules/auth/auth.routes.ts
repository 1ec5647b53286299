import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LoginBody, LoginResponse } from '@jizan/shared';
import { replies } from '../../lib/http.js';
import { login } from './auth.service.js';

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/auth/login',
    {
      config: { auth: 'none', rateLimit: app.rateLimits.login },
      schema: {
        operationId: 'login',
        tags: ['auth'],
        summary: 'Exchange the mini-program login code for an access token',
        security: [],
        body: LoginBody,
        response: replies({ 200: LoginResponse }),
      },
    },
    async (request) => login(app.deps, request.body.code),
  );
};
