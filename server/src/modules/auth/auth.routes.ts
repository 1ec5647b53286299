import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LoginBody, LoginResponse } from '@jizan/shared';
import { Type } from 'typebox';
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
        headers: Type.Object({
          'x-device-id': Type.Optional(
            Type.String({
              description: "The install's device id (the mini-program makes one and keeps it); kept with the login for fraud review; anything but 1–128 characters of [A-Za-z0-9._:-] is ignored",
              examples: ['dmi1x2k3abcdefghij0123456789'],
            }),
          ),
        }),
        body: LoginBody,
        response: replies({ 200: LoginResponse }),
      },
    },
    async (request) => login(app.deps, request.body.code, loginClientOf(request.ip, request.headers['x-device-id'])),
  );
};
