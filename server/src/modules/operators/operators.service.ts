import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { OPERATOR_KEY_PREFIX, type Operator, type OperatorScope } from '@jizan/shared';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { recordAudit, type Actor } from './audit.service.js';
import * as repo from './operators.repository.js';

/** The config's all-scopes key acts under this name; it has no operator row. */
export const ADMIN_KEY_ACTOR: Actor = { id: null, name: 'JIZAN_ADMIN_KEY', scopes: ['read', 'write'] };

export const DEV_OPERATOR_NAME = 'dev';

/**
 * Keys are 32 random bytes, so a plain SHA-256 is the right store: a slow password hash only
 * helps against guessable secrets, and it would cost every admin request a few milliseconds.
 */
export function hashOperatorKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function keyRecord(key: string) {
  return { keyPrefix: key.slice(0, OPERATOR_KEY_PREFIX.length + 6), keyHash: hashOperatorKey(key) };
}

export function generateOperatorKey(): string {
  return `${OPERATOR_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

function sameSecret(a: string, b: string): boolean {
  // Compare fixed-length digests so neither the content nor the length leaks through timing.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** The actor a bearer key stands for, or null when it is no live operator key. */
export async function authenticateOperator(deps: { db: Db; adminKey: string | null }, key: string): Promise<Actor | null> {
  if (deps.adminKey && sameSecret(key, deps.adminKey)) return ADMIN_KEY_ACTOR;
  if (!key.startsWith(OPERATOR_KEY_PREFIX)) return null;
  const row = await repo.findOperatorByKeyHash(deps.db, hashOperatorKey(key));
  return row ? { id: row.id, name: row.name, scopes: row.scopes } : null;
}

function toOperator(row: repo.OperatorRow): Operator {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    keyPrefix: row.keyPrefix,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** Who creates and revokes operator keys: whoever runs `pnpm admin:key` on the server's database. */
export const KEY_SCRIPT_ACTOR: Actor = { id: null, name: 'pnpm admin:key', scopes: ['read', 'write'] };

/** A new operator and its key: the only time the key is ever seen (only its hash is kept). Audited. */
export async function createOperator(
  deps: { db: Db; clock: Clock },
  input: { name: string; scopes: OperatorScope[] },
  actor: Actor = KEY_SCRIPT_ACTOR,
): Promise<{ operator: Operator; key: string }> {
  const scopes = [...new Set(input.scopes)].sort();
  if (!input.name.trim() || scopes.length === 0) throw new AppError('VALIDATION_FAILED', 'An operator needs a name and at least one scope');
  const key = generateOperatorKey();
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const row = await repo.insertOperator(tx, { name: input.name.trim(), scopes, ...keyRecord(key), at: now });
    if (!row) throw new AppError('VALIDATION_FAILED', `An operator named "${input.name}" already exists`);
    const operator = toOperator(row);
    await recordAudit(tx, actor, now, { action: 'operator.create', targetType: 'operator', targetId: row.id, before: null, after: operator });
    return { operator, key };
  });
}

/** Revokes an operator's key at once (every later request with it is 401). Audited. */
export async function revokeOperator(deps: { db: Db; clock: Clock }, name: string, actor: Actor = KEY_SCRIPT_ACTOR): Promise<Operator> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const row = await repo.revokeOperator(tx, name, now);
    if (!row) throw new AppError('OPERATOR_NOT_FOUND', `No live operator named "${name}"`);
    const operator = toOperator(row);
    await recordAudit(tx, actor, now, { action: 'operator.revoke', targetType: 'operator', targetId: row.id, before: { revokedAt: null }, after: { revokedAt: operator.revokedAt } });
    return operator;
  });
}

/**
 * The dev operator's key is derived from the server's dev secret rather than random, so every
 * `pnpm start` can print it again although only its hash is stored, and two instances seeding
 * the same database at once agree on it.
 */
export function devOperatorKey(secret: Uint8Array): string {
  return `${OPERATOR_KEY_PREFIX}dev_${createHmac('sha256', secret).update('jizan-dev-operator').digest('base64url')}`;
}

export async function ensureDevOperator(deps: { db: Db; clock: Clock }, secret: Uint8Array): Promise<string> {
  const key = devOperatorKey(secret);
  await repo.upsertOperator(deps.db, { name: DEV_OPERATOR_NAME, scopes: ['read', 'write'], ...keyRecord(key), at: deps.clock.now() });
  return key;
}
