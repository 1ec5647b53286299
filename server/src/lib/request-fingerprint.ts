import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { NO_IDEMPOTENCY, type Idempotency } from '../modules/idempotency/idempotency.service.js';

/** JSON with object keys sorted, so two spellings of one body fingerprint alike. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/**
 * What an Idempotency-Key is bound to: the whole request (method, route, params and body), so the
 * same key sent with any other request is refused instead of replaying an answer to something else.
 */
export function requestFingerprint(r: { method: string; route: string; params?: unknown; body?: unknown }): string {
  const text = JSON.stringify(canonical([r.method, r.route, r.params ?? null, r.body ?? null]));
  return createHash('sha256').update(text).digest('base64url');
}

/**
 * The request's Idempotency-Key (parsed by the app's hook) with the fingerprint it must match;
 * no key, no fingerprint (hashing every like's request was a tenth of the like route's own CPU).
 */
export function idempotencyOf(request: FastifyRequest): Idempotency {
  if (request.idempotencyKey === null) return NO_IDEMPOTENCY;
  return {
    key: request.idempotencyKey,
    fingerprint: requestFingerprint({
      method: request.method,
      route: request.routeOptions.url ?? request.url,
      params: request.params,
      body: request.body,
    }),
  };
}
