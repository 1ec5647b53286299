import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { idempotencyKeys } from '../../db/schema/index.js';

export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;

/**
 * Claims the key. If another transaction holds an uncommitted claim on it, Postgres makes this
 * insert wait for that transaction: on its commit we see a conflict and replay, on its rollback we win.
 */
export async function claim(ex: Executor, userId: string, key: string, fingerprint: string, at: Date): Promise<boolean> {
  const rows = await ex
    .insert(idempotencyKeys)
    .values({ userId, key, fingerprint, createdAt: at })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  return rows.length === 1;
}

export async function find(ex: Executor, userId: string, key: string): Promise<IdempotencyRow | undefined> {
  const [row] = await ex
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
  return row;
}

export async function saveAnswer(ex: Executor, userId: string, key: string, statusCode: number, body: unknown): Promise<void> {
  await ex
    .update(idempotencyKeys)
    .set({ statusCode, body })
    .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
}

/**
 * Deletes up to `limit` keys stored before `cutoff`; SKIP LOCKED lets instances running the job
 * at once take different batches.
 */
export async function deleteOlderThan(ex: Executor, cutoff: Date, limit: number): Promise<number> {
  const rows = await ex
    .delete(idempotencyKeys)
    .where(
      sql`(${idempotencyKeys.userId}, ${idempotencyKeys.key}) in (
        select user_id, key from idempotency_keys where created_at < ${cutoff} limit ${limit} for update skip locked)`,
    )
    .returning({ key: idempotencyKeys.key });
  return rows.length;
}
