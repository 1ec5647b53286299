import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AvatarFileParams, Me, UpdateMeBody } from '@jizan/shared';
import { Type } from 'typebox';
import { AppError } from '../../lib/errors.js';
import { replies } from '../../lib/http.js';
import { userIdOf } from '../../plugins/auth.js';
import { getMe, readAvatar, updateMe, uploadAvatar } from './users.service.js';

export const usersRoutes: FastifyPluginAsyncTypebox<{ avatarMaxBytes: number }> = async (app, opts) => {
  // One file, no other fields, capped while it streams in (encapsulated: only these routes parse multipart).
  await app.register(multipart, { limits: { fileSize: opts.avatarMaxBytes, files: 1, fields: 0, parts: 1 } });

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
  app.post(
    '/v1/me/avatar',
    {
      schema: {
        operationId: 'uploadAvatar',
        tags: ['users'],
        summary: 'Upload my avatar (multipart/form-data, one file: PNG, JPEG, GIF or WebP); it becomes my avatarUrl',
        consumes: ['multipart/form-data'],
        response: replies({ 200: Me }),
      },
    },
    async (request) => {
      const userId = userIdOf(request);
      if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the picture as multipart/form-data');
      let bytes: Buffer;
      try {
        const file = await request.file();
        if (!file) throw new AppError('VALIDATION_FAILED', 'The upload holds no file');
        bytes = await file.toBuffer();
      } catch (err) {
        // The plugin's own refusals carry a status (413 too large…); a torn body from the parser does not.
        if ((err as { statusCode?: number }).statusCode) throw err;
        throw new AppError('BAD_REQUEST', 'The multipart body could not be read');
      }
      return uploadAvatar(app.deps, userId, bytes);
    },
  );
  app.get(
    '/v1/avatars/:file',
    {
      config: { auth: 'none' },
      schema: {
        operationId: 'getAvatar',
        tags: ['users'],
        summary: 'An uploaded avatar',
        security: [],
        params: AvatarFileParams,
        response: replies({ 200: Type.Unknown({ description: 'The picture' }) }),
      },
    },
    async (request, reply) => {
      const { bytes, mime } = await readAvatar(app.deps, request.params.file);
      // Names are random and never reused, so the picture can be cached for good.
      return reply.type(mime).header('cache-control', 'public, max-age=31536000, immutable').send(bytes);
    },
  );
};
