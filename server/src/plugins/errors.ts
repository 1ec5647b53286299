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

// Connection-level failures (database down or restarting): the client may simply retry.
const UNAVAILABLE_PG_CODES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08003', '08006', '08001', '08004']);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

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
  const pgCode = (err as { code?: string }).code;
  const causeCode = (err.cause as { code?: string } | undefined)?.code;
  if (
    (pgCode && (UNAVAILABLE_PG_CODES.has(pgCode) || UNAVAILABLE_NODE_CODES.has(pgCode))) ||
    (causeCode && (UNAVAILABLE_PG_CODES.has(causeCode) || UNAVAILABLE_NODE_CODES.has(causeCode))) ||
    /Connection terminated|connection timeout|Client has encountered a connection error/i.test(err.message)
  ) {
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
    if (out.status === 503) reply.header('retry-after', '1');
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
  return reply.status(out.status).send({ error: { code: out.code, message: out.message } });
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
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nconnection: close\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

export default fp(errors, { name: 'errors' });
