import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse, NotificationFailure } from '@jizan/shared';
import type { IncomingNotification, NotificationAnswer } from '../lib/wechatpay/notification.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received, where a signature covers it (WeChat Pay notifications). */
    rawBody: string | null;
  }
}

export interface WechatPayNotifyRoute {
  path: string;
  tag: string;
  operationId: string;
  summary: string;
  /** Named in the log line of a refused notification ("payment", "transfer"). */
  what: string;
  receive(n: IncomingNotification): Promise<NotificationAnswer>;
}

/**
 * One WeChat Pay v3 notification route (payments and refunds, merchant transfers). Its own scope:
 * the platform's signature covers the body byte for byte, so it is kept raw and parsed only after
 * it verified; the answers are the platform's protocol (204, or a FAIL body with 400, 401 or 500),
 * while what fails before the handler (a body too large, a rate limit) keeps our error shape, so
 * both are documented.
 */
export const wechatPayNotifyRoute: FastifyPluginAsyncTypebox<WechatPayNotifyRoute> = async (scope, route) => {
  scope.decorateRequest('rawBody', null);
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    request.rawBody = body as string;
    done(null, undefined);
  });
  scope.post(
    route.path,
    {
      config: { auth: 'none' },
      schema: {
        tags: [route.tag],
        operationId: route.operationId,
        summary: route.summary,
        security: [],
        response: {
          204: Type.Null({ description: 'Applied (or already applied)' }),
          '4xx': Type.Union([NotificationFailure, ErrorResponse]),
          '5xx': Type.Union([NotificationFailure, ErrorResponse]),
        },
      },
    },
    async (request, reply) => {
      const answer = await route.receive({ headers: request.headers, rawBody: request.rawBody ?? '' });
      if (answer.status >= 300) request.log.warn({ status: answer.status, reason: answer.body?.message }, `${route.what} notification refused`);
      return answer.body ? reply.code(answer.status as 400 | 401 | 500).send(answer.body) : reply.code(204).send(null);
    },
  );
};
