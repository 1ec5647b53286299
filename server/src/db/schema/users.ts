import { index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, instant, uuidPk } from './columns.js';

export const users = pgTable(
  'users',
  {
    id: uuidPk(),
    /** The chat platform's per-app user id: the login key. */
    openid: text('openid').notNull(),
    unionid: text('unionid'),
    nickname: text('nickname').notNull(),
    avatarUrl: text('avatar_url'),
    /** Null until the user chose a nickname or avatar themselves. */
    profileCompletedAt: instant('profile_completed_at'),
    /** Set by the user's first like ever; the like that sets it earns the new-liker bonus. */
    firstLikedAt: instant('first_liked_at'),
    ...createdAt,
  },
  (t) => [uniqueIndex('users_openid_key').on(t.openid), index('users_unionid_idx').on(t.unionid)],
);
