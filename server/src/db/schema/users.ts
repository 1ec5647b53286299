import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
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
    /**
     * A nickname the content check has not passed yet (the platform was unreachable, or it asked
     * for a human review): only its owner sees it; everyone else still sees `nickname`.
     */
    pendingNickname: text('pending_nickname'),
    /** An uploaded avatar whose check could not even be submitted: shown to nobody until it is. */
    pendingAvatarUrl: text('pending_avatar_url'),
    /** When the platform's late media verdict took the avatar down; cleared by a new avatar. */
    avatarHiddenAt: instant('avatar_hidden_at'),
    ...createdAt,
  },
  (t) => [
    uniqueIndex('users_openid_key').on(t.openid),
    index('users_unionid_idx').on(t.unionid),
    // The recheck job's scan: only the few rows holding something back.
    index('users_pending_review_idx').on(t.id).where(sql`${t.pendingNickname} is not null or ${t.pendingAvatarUrl} is not null`),
  ],
);

/**
 * Each avatar sent to the platform's asynchronous media check, by the platform's trace id. The
 * verdict is pushed to us later; it takes the avatar down only while it is still the user's.
 */
export const avatarChecks = pgTable(
  'avatar_checks',
  {
    traceId: text('trace_id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    avatarUrl: text('avatar_url').notNull(),
    submittedAt: instant('submitted_at').notNull(),
    /** The platform's `result.suggest` (pass, review, risky) and `label`, once pushed. */
    suggest: text('suggest'),
    label: integer('label'),
    resolvedAt: instant('resolved_at'),
  },
  (t) => [index('avatar_checks_user_idx').on(t.userId)],
);
