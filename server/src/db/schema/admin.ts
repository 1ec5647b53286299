import { bigserial, index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { campaigns } from './campaigns.js';
import { users } from './users.js';
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

/**
 * The fraud review queue. A scan adds a flag per suspect account and kind; `subject` (kind, campaign
 * and user) is unique, so rescans and concurrent scans refresh an open flag's evidence rather than
 * repeat it, and a reviewed one stays reviewed.
 */
export const fraudFlags = pgTable(
  'fraud_flags',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind', { enum: ['like_ring', 'team_ring', 'burst', 'shared_device', 'shared_ip'] }).notNull(),
    subject: text('subject').notNull(),
    /** Null for device and IP flags, which are about accounts rather than one campaign. */
    campaignId: uuid('campaign_id').references(() => campaigns.id),
    userId: uuid('user_id').notNull().references(() => users.id),
    evidence: jsonb('evidence').notNull(),
    status: text('status', { enum: ['open', 'voided', 'dismissed'] }).notNull().default('open'),
    detectedAt: instant('detected_at').notNull(),
    resolvedAt: instant('resolved_at'),
    resolvedBy: text('resolved_by'),
  },
  (t) => [
    uniqueIndex('fraud_flags_subject_key').on(t.subject),
    index('fraud_flags_status_idx').on(t.status, t.id),
    index('fraud_flags_user_idx').on(t.userId),
  ],
);
