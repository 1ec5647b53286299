import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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

/**
 * What a framework refusal says. Fastify's own messages quote the input (the whole path, the
 * content type), so a client-sent megabyte would come back; ours are fixed per code.
 */
const FIXED_MESSAGES: Partial<Record<ErrorCode, string>> = {
  BAD_REQUEST: 'The request could not be read (malformed URL, encoding or HTTP)',
  URI_TOO_LONG: 'The URL is longer than this server reads',
  HEADERS_TOO_LARGE: 'The request headers are larger than this server reads',
  PAYLOAD_TOO_LARGE: 'The body is larger than this server accepts',
  UNSUPPORTED_MEDIA_TYPE: 'This route takes a JSON body (content-type: application/json)',
  NOT_FOUND: 'Nothing here',
  UNAUTHENTICATED: 'Log in first',
  RATE_LIMITED: 'Too many requests; slow down and retry later',
  VALIDATION_FAILED: 'The request does not match the schema',
};

/** Longest piece of client input an answer may quote. */
const QUOTE_MAX = 80;
/** Validation failures listed at most (a 64 KB array of bad items would list thousands). */
const DETAILS_MAX = 20;

export function quote(text: string): string {
  return text.length <= QUOTE_MAX ? text : `${text.slice(0, QUOTE_MAX)}…`;
}

/** Every error becomes one shape; anything unexpected is logged in full and answered without detail. */
export function toErrorReply(err: FastifyError & { cause?: unknown }): ErrorReply {
  if (isAppError(err)) {
    return { status: err.statusCode, code: err.code, message: err.message, details: err.details };
  }
  if (err.validation) {
    const details = err.validation.slice(0, DETAILS_MAX).map((v) => ({
      path: quote(`${err.validationContext ?? 'body'}${v.instancePath || ''}`),
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
    return { status, code, message: FIXED_MESSAGES[code] ?? `The request was refused (${status})` };
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
      error: { code: 'NOT_FOUND', message: `No route ${quote(request.method)} ${quote(request.url.split('?')[0] ?? '')}` },
    }),
  );
}

/**
 * Fastify's refusals before routing (a malformed percent-encoding, a too-long parameter), which
 * never reach the error handler; passed to Fastify as `frameworkErrors`.
 */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const out = toErrorReply(err);
  request.log.info({ code: out.code, fastifyCode: err.code }, out.message);
  // Helmet's hooks never ran for this request; a JSON error still must not be sniffed as a page.
  return reply.status(out.status).header('x-content-type-options', 'nosniff').send({ error: { code: out.code, message: out.message } });
}

/**
 * Node's own refusals, before Fastify sees a request (oversized headers, broken HTTP): answered on
 * the socket in the one error shape; passed to Fastify as `clientErrorHandler`.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const code: ErrorCode = status === 408 ? 'BAD_REQUEST' : codeForStatus(status);
  const message = status === 408 ? 'The request took too long to arrive' : (FIXED_MESSAGES[code] ?? 'Bad request');
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nconnection: close\r\ncontent-type: application/json; charset=utf-8\r\nx-content-type-options: nosniff\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

export default fp(errors, { name: 'errors' });
