import { eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { users } from '../../db/schema/index.js';

export type UserRow = typeof users.$inferSelect;
export type NewUser = Pick<typeof users.$inferInsert, 'openid' | 'nickname' | 'profileCompletedAt'>;

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

/** Inserts the users not there yet (by openid) and leaves existing ones untouched. */
export async function insertMissing(ex: Executor, values: NewUser[]): Promise<void> {
  await ex.insert(users).values(values).onConflictDoNothing();
}

export async function idsByOpenid(ex: Executor, openids: string[]): Promise<Map<string, string>> {
  const rows = await ex.select({ id: users.id, openid: users.openid }).from(users).where(inArray(users.openid, openids));
  return new Map(rows.map((r) => [r.openid, r.id]));
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
