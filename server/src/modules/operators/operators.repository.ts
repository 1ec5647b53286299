import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { adminAudit, operators } from '../../db/schema/index.js';

export type OperatorRow = typeof operators.$inferSelect;
export type AuditRow = typeof adminAudit.$inferSelect;

/** The live (not revoked) operator holding this key hash. */
export async function findOperatorByKeyHash(ex: Executor, keyHash: string): Promise<OperatorRow | undefined> {
  const [row] = await ex.select().from(operators).where(and(eq(operators.keyHash, keyHash), isNull(operators.revokedAt)));
  return row;
}

/** Null when the name is taken (unique index), so two creations at once cannot both succeed. */
export async function insertOperator(
  ex: Executor,
  v: { name: string; scopes: ('read' | 'write')[]; keyPrefix: string; keyHash: string; at: Date },
): Promise<OperatorRow | null> {
  const [row] = await ex
    .insert(operators)
    .values({ name: v.name, scopes: v.scopes, keyPrefix: v.keyPrefix, keyHash: v.keyHash, createdAt: v.at })
    .onConflictDoNothing({ target: operators.name })
    .returning();
  return row ?? null;
}

/**
 * Creates or re-keys the named operator in one statement: two instances seeding at once both
 * land on the same row, and a changed dev secret moves the key with it.
 */
export async function upsertOperator(
  ex: Executor,
  v: { name: string; scopes: ('read' | 'write')[]; keyPrefix: string; keyHash: string; at: Date },
): Promise<OperatorRow> {
  const [row] = await ex
    .insert(operators)
    .values({ name: v.name, scopes: v.scopes, keyPrefix: v.keyPrefix, keyHash: v.keyHash, createdAt: v.at })
    .onConflictDoUpdate({
      target: operators.name,
      set: { keyPrefix: sql`excluded.key_prefix`, keyHash: sql`excluded.key_hash`, scopes: sql`excluded.scopes`, revokedAt: null },
    })
    .returning();
  return row!;
}

/** Revokes the named operator's key; null when there is no such live operator. */
export async function revokeOperator(ex: Executor, name: string, at: Date): Promise<OperatorRow | null> {
  const [row] = await ex
    .update(operators)
    .set({ revokedAt: at })
    .where(and(eq(operators.name, name), isNull(operators.revokedAt)))
    .returning();
  return row ?? null;
}

export async function insertAudit(
  ex: Executor,
  v: { operatorId: string | null; operatorName: string; action: string; targetType: string; targetId: string; before: unknown; after: unknown; at: Date },
): Promise<void> {
  await ex.insert(adminAudit).values({
    operatorId: v.operatorId,
    operatorName: v.operatorName,
    action: v.action,
    targetType: v.targetType,
    targetId: v.targetId,
    before: v.before ?? null,
    after: v.after ?? null,
    createdAt: v.at,
  });
}

/** Newest first, keyset-paged on id. */
export async function listAudit(
  ex: Executor,
  q: { targetType?: string; targetId?: string; beforeId: number | null; limit: number },
): Promise<AuditRow[]> {
  const where = [
    q.targetType ? eq(adminAudit.targetType, q.targetType) : undefined,
    q.targetId ? eq(adminAudit.targetId, q.targetId) : undefined,
    q.beforeId !== null ? lt(adminAudit.id, q.beforeId) : undefined,
  ];
  return ex.select().from(adminAudit).where(and(...where)).orderBy(desc(adminAudit.id)).limit(q.limit);
}
