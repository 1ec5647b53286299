import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '@jizan/shared';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import { pushIsGenuine } from '../lib/wechat/push.js';

/**
 * The chat platform's message push (消息推送, plaintext mode, JSON): the URL check and the events
 * it posts, each verified with the push Token before anything is read. One event matters today,
 * `wxa_media_check` (a picture's late verdict); others are acknowledged and ignored so the
 * platform does not retry them. Without a Token every push is refused: nothing unsigned is believed.
 */
export const WECHAT_PUSH_PATH = '/v1/wechat/push';

const PushQuery = Type.Object({
  signature: Type.Optional(Type.String({ maxLength: 64 })),
  timestamp: Type.Optional(Type.String({ maxLength: 16 })),
  nonce: Type.Optional(Type.String({ maxLength: 64 })),
  echostr: Type.Optional(Type.String({ maxLength: 256 })),
});

const PushEvent = Type.Object(
  {
    Event: Type.Optional(Type.String()),
    trace_id: Type.Optional(Type.String({ maxLength: 128 })),
    result: Type.Optional(Type.Object({ suggest: Type.Optional(Type.String()), label: Type.Optional(Type.Number()) })),
  },
  { additionalProperties: true, description: 'A pushed event; wxa_media_check carries trace_id and result' },
);

export const wechatPushRoute: FastifyPluginAsyncTypebox<{
  token: string | null;
  clock: Clock;
  onMediaVerdict: (v: { traceId: string; suggest: string; label: number }) => Promise<unknown>;
}> = async (app, opts) => {
  const verify = (q: { signature?: string; timestamp?: string; nonce?: string }) => {
    if (!opts.token || !pushIsGenuine(opts.token, q, opts.clock.now())) {
      throw new AppError('PUSH_SIGNATURE_INVALID', 'This push is not signed with our message push Token');
    }
  };
  const errors = { '4xx': ErrorResponse };

  app.get(
    WECHAT_PUSH_PATH,
    {
      config: { auth: 'none' },
      schema: {
        tags: ['platform'],
        operationId: 'verifyWechatPushUrl',
        summary: 'The chat platform checks the message push URL: echostr comes back when the signature is ours',
        security: [],
        querystring: PushQuery,
        response: { 200: Type.String({ description: 'The echostr' }), ...errors },
      },
    },
    async (request, reply) => {
      verify(request.query);
      return reply.type('text/plain').send(request.query.echostr ?? '');
    },
  );

  app.post(
    WECHAT_PUSH_PATH,
    {
      config: { auth: 'none' },
      schema: {
        tags: ['platform'],
        operationId: 'receiveWechatPush',
        summary: 'Events the chat platform pushes (wxa_media_check: a picture\'s late verdict hides a risky avatar), verified with the push Token',
        security: [],
        querystring: PushQuery,
        body: PushEvent,
        response: { 200: Type.String({ description: '"success", the platform\'s acknowledgement' }), ...errors },
      },
    },
    async (request, reply) => {
      verify(request.query);
      const b = request.body;
      if (b.Event === 'wxa_media_check' && b.trace_id && b.result?.suggest) {
        await opts.onMediaVerdict({ traceId: b.trace_id, suggest: b.result.suggest, label: b.result.label ?? 0 });
      }
      return reply.type('text/plain').send('success');
    },
  );
};
