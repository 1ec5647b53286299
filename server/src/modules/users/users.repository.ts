import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { users } from '../../db/schema/index.js';

export type UserRow = typeof users.$inferSelect;

export async function upsertByOpenid(
  ex: Executor,
  input: { openid: string; unionid: string | null; defaultNickname: string },
): Promise<UserRow> {
  const [row] = await ex
    .insert(users)
    .values({ openid: input.openid, unionid: input.unionid, nickname: input.defaultNickname })
    .onConflictDoUpdate({
      target: users.openid,
      // Keep a unionid we learnt before if the platform omits it this time.
      set: { unionid: sql`coalesce(excluded.unionid, ${users.unionid})` },
    })
    .returning();
  return row!;
}

export async function findById(ex: Executor, id: string): Promise<UserRow | undefined> {
  const [row] = await ex.select().from(users).where(eq(users.id, id));
  return row;
}

export async function updateProfile(
  ex: Executor,
  id: string,
  patch: { nickname?: string; avatarUrl?: string },
  at: Date,
): Promise<UserRow | undefined> {
  const [row] = await ex
    .update(users)
    .set({ ...patch, profileCompletedAt: at })
    .where(eq(users.id, id))
    .returning();
  return row;
}
