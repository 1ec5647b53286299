import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { preparedRows, type Db, type Executor } from '../../db/client.js';
import { avatarChecks, users } from '../../db/schema/index.js';

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

/** Which of `ids` are users (one prepared statement, whatever their number). */
export async function existingIds(db: Db, ids: string[]): Promise<Set<string>> {
  const found = await preparedRows<{ id: string }>(db, 'users_existing', 'select id from users where id = any($1::uuid[])', [ids]);
  return new Set(found.map((r) => r.id));
}

/** What a profile write sets: the shown name and picture, or what is held back from strangers meanwhile. */
export interface ProfilePatch {
  nickname?: string;
  pendingNickname?: string | null;
  avatarUrl?: string | null;
  pendingAvatarUrl?: string | null;
  avatarHiddenAt?: Date | null;
}

export async function updateProfile(ex: Executor, id: string, patch: ProfilePatch, at: Date): Promise<UserRow | undefined> {
  const [row] = await ex
    .update(users)
    .set({ ...patch, profileCompletedAt: at })
    .where(eq(users.id, id))
    .returning();
  return row;
}

/** A write the user did not make (a check's late verdict): the profile's completion stays as it was. */
export async function updateReview(ex: Executor, id: string, patch: ProfilePatch): Promise<UserRow | undefined> {
  const [row] = await ex.update(users).set(patch).where(eq(users.id, id)).returning();
  return row;
}

/** Users holding a nickname or avatar back for a check, oldest first (the partial index keeps this cheap). */
export async function heldForReview(ex: Executor, limit: number): Promise<UserRow[]> {
  return ex
    .select()
    .from(users)
    .where(sql`${users.pendingNickname} is not null or ${users.pendingAvatarUrl} is not null`)
    .orderBy(users.id)
    .limit(limit);
}

export async function insertAvatarCheck(ex: Executor, v: { traceId: string; userId: string; avatarUrl: string; at: Date }): Promise<void> {
  await ex
    .insert(avatarChecks)
    .values({ traceId: v.traceId, userId: v.userId, avatarUrl: v.avatarUrl, submittedAt: v.at })
    .onConflictDoNothing();
}

/**
 * Records a pushed verdict once: the first push of a trace id resolves it and answers the check;
 * a repeated push (the platform retries until we answer) answers undefined.
 */
export async function resolveAvatarCheck(
  ex: Executor,
  v: { traceId: string; suggest: string; label: number; at: Date },
): Promise<typeof avatarChecks.$inferSelect | undefined> {
  const [row] = await ex
    .update(avatarChecks)
    .set({ suggest: v.suggest, label: v.label, resolvedAt: v.at })
    .where(and(eq(avatarChecks.traceId, v.traceId), isNull(avatarChecks.resolvedAt)))
    .returning();
  return row;
}

/** Takes the avatar down only while it is still the one checked (a newer one has its own check). */
export async function hideAvatarIf(ex: Executor, v: { userId: string; avatarUrl: string; at: Date }): Promise<boolean> {
  const rows = await ex
    .update(users)
    .set({ avatarUrl: null, avatarHiddenAt: v.at })
    .where(and(eq(users.id, v.userId), eq(users.avatarUrl, v.avatarUrl)))
    .returning({ id: users.id });
  return rows.length > 0;
}
