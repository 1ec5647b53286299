import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LoginBody, LoginResponse } from '@jizan/shared';
import { replies } from '../../lib/http.js';
import { login, loginClientOf } from './auth.service.js';

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
    async (request) => login(app.deps, request.body.code, loginClientOf(request.ip, request.headers['x-device-id'])),
  );
};
