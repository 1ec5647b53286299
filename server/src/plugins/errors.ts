import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { codeForStatus, type ErrorCode } from '@jizan/shared/errors';
import { isAppError } from '../lib/errors.js';

interface ErrorReply {
  status: number;
  code: ErrorCode;
  message: string;
  details?: unknown;
}

// The database is down, restarting, frozen or too slow: the client may simply retry. 57014 is a
// statement cancelled by `statement_timeout`, 57P01 an administrator's (or a restart's) shutdown,
// 08xxx connection failures, 53300 too many connections.
const UNAVAILABLE_PG_CODES = new Set(['57014', '57P01', '57P02', '57P03', '53300', '08000', '08003', '08006', '08001', '08004']);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);
// node-postgres says these in words only: a connect or pool wait past `connectionTimeoutMillis`,
// a query past `query_timeout`, a socket closed under a query.
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Connection ended unexpectedly/i;

/** Walks the error and its causes (drizzle wraps the driver's error in its own). */
function isUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_PG_CODES.has(code) || UNAVAILABLE_NODE_CODES.has(code))) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
  }
  return false;
}

/** Seconds a client is asked to wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 1;

/** Every error becomes one shape; anything unexpected is logged in full and answered without detail. */
export function toErrorReply(err: FastifyError & { cause?: unknown }): ErrorReply {
  if (isAppError(err)) {
    return { status: err.statusCode, code: err.code, message: err.message, details: err.details };
  }
  if (err.validation) {
    const details = err.validation.map((v) => ({
      path: `${err.validationContext ?? 'body'}${v.instancePath || ''}`,
      message: v.message ?? 'is invalid',
      ...(v.keyword === 'required' && v.params && 'missingProperty' in v.params
        ? { missing: v.params.missingProperty }
        : {}),
    }));
    return { status: 400, code: 'VALIDATION_FAILED', message: 'The request does not match the schema', details };
  }
  if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (err instanceof SyntaxError && err.statusCode === 400)) {
    return { status: 400, code: 'INVALID_JSON', message: 'The body is not valid JSON' };
  }
  if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return { status: 400, code: 'INVALID_JSON', message: 'The body is empty but declared as JSON' };
  }
  if (isUnavailable(err)) {
    return { status: 503, code: 'SERVICE_UNAVAILABLE', message: 'The service is briefly unavailable; please retry' };
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = codeForStatus(status);
    const message = status === 429 ? 'Too many requests; slow down and retry later' : err.message;
    return { status, code, message };
  }
  return { status: 500, code: 'INTERNAL', message: 'Something went wrong on our side; it has been logged' };
}

async function errors(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const out = toErrorReply(err);
    if (out.status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: out.code }, out.message);
    if (out.status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    const body = { error: { code: out.code, message: out.message, ...(out.details === undefined ? {} : { details: out.details }) } };
    return reply.status(out.status).send(body);
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: { code: 'NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}` },
    }),
  );
}

export default fp(errors, { name: 'errors' });
