import { LIMITS } from '@jizan/shared/constants';
import type { Db, Tx } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import * as repo from './idempotency.repository.js';

export interface Outcome<T> {
  statusCode: number;
  body: T;
  /** True when this is the stored answer to an earlier request with the same key. */
  replayed: boolean;
}

/**
 * An Idempotency-Key and the fingerprint of the whole request it came with (made by
 * `idempotencyOf` in lib/request-fingerprint.ts, the one way every route makes it), or neither.
 */
export type Idempotency = { key: string; fingerprint: string } | { key: null; fingerprint: null };

/** For callers without a client request (seed, scripts): every call runs. */
export const NO_IDEMPOTENCY: Idempotency = { key: null, fingerprint: null };

const KEY_SHAPE = /^[\x21-\x7e]+$/;

export function parseIdempotencyKey(raw: unknown): string | null {
  if (raw === undefined) return null;
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > LIMITS.idempotencyKeyMaxLength || !KEY_SHAPE.test(raw)) {
    throw new AppError(
      'INVALID_IDEMPOTENCY_KEY',
      `Idempotency-Key must be 1–${LIMITS.idempotencyKeyMaxLength} printable ASCII characters`,
    );
  }
  return raw;
}

/** The refusal for a key sent again with another request (here, and from the like statement). */
export function keyReused(): AppError {
  return new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request');
}

/**
 * Runs `work` in one transaction with the key's claim and answer, so a retry either replays the
 * committed answer or (if the first attempt failed and rolled back) runs afresh. Failures are not
 * stored: they moved nothing, and running them again gives the caller the current truth.
 */
export async function runOnce<T>(
  deps: { db: Db; clock: Clock },
  req: Idempotency & { userId: string; statusCode: number },
  work: (tx: Tx) => Promise<T>,
): Promise<Outcome<T>> {
  return deps.db.transaction(async (tx) => {
    if (req.key === null) {
      return { statusCode: req.statusCode, body: await work(tx), replayed: false };
    }
    const claimed = await repo.claim(tx, req.userId, req.key, req.fingerprint, deps.clock.now());
    if (!claimed) {
      const prior = await repo.find(tx, req.userId, req.key);
      if (!prior || prior.fingerprint !== req.fingerprint || prior.statusCode === null) {
        throw keyReused();
      }
      return { statusCode: prior.statusCode, body: prior.body as T, replayed: true };
    }
    const body = await work(tx);
    await repo.saveAnswer(tx, req.userId, req.key, req.statusCode, body);
    return { statusCode: req.statusCode, body, replayed: false };
  });
}

export interface IdempotencyExpiryDeps {
  db: Db;
  clock: Clock;
  /** Keys older than this are forgotten: a retry after that runs as a new request. */
  ttlHours: number;
}

const EXPIRY_BATCH = 1000;

/** Forgets keys past their lifetime, a batch per transaction; returns how many went. */
export async function expireIdempotencyKeys(deps: IdempotencyExpiryDeps, opts: { signal?: AbortSignal } = {}): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - deps.ttlHours * 3600_000);
  let total = 0;
  for (;;) {
    const n = await deps.db.transaction((tx) => repo.deleteOlderThan(tx, cutoff, EXPIRY_BATCH));
    total += n;
    if (n < EXPIRY_BATCH || opts.signal?.aborted) return total;
  }
}
