import { bigserial, index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, instant, uuidPk } from './columns.js';

/**
 * People (or tools) allowed on the admin API. The key itself is never stored: only its SHA-256
 * (keys are 32 random bytes, so a fast hash is enough — there is nothing to brute-force) and
 * its first characters, so a listing can say which key is which.
 */
export const operators = pgTable(
  'operators',
  {
    id: uuidPk(),
    name: text('name').notNull(),
    scopes: text('scopes', { enum: ['read', 'write'] }).array().notNull(),
    keyPrefix: text('key_prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    revokedAt: instant('revoked_at'),
    ...createdAt,
  },
  (t) => [uniqueIndex('operators_name_key').on(t.name), uniqueIndex('operators_key_hash_key').on(t.keyHash)],
);

/**
 * Every write an operator made, append-only (a trigger refuses UPDATE, DELETE and TRUNCATE).
 * `operatorId` is null for the all-scopes `JIZAN_ADMIN_KEY`, which has no row.
 */
export const adminAudit = pgTable(
  'admin_audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    operatorId: uuid('operator_id').references(() => operators.id),
    operatorName: text('operator_name').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    ...createdAt,
  },
  (t) => [index('admin_audit_target_idx').on(t.targetType, t.targetId, t.id)],
);
