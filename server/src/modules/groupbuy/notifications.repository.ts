import { desc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { notifications } from '../../db/schema/index.js';

/** A message to write to the outbox (notifier.ts says who writes them and when). */
export type NewNotification = Pick<typeof notifications.$inferInsert, 'userId' | 'kind' | 'groupId' | 'title' | 'payload'>;

export async function insertNotifications(ex: Executor, notices: NewNotification[], at: Date): Promise<void> {
  if (notices.length === 0) return;
  await ex
    .insert(notifications)
    .values(notices.map((n) => ({ ...n, createdAt: at })))
    .onConflictDoNothing();
}

export async function notificationsOf(ex: Executor, userId: string, limit: number) {
  return ex
    .select()
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.id))
    .limit(limit);
}
