import { and, eq } from 'drizzle-orm';
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
