import { createHash } from 'node:crypto';
import type { Me, UpdateMeBody, UserSummary } from '@jizan/shared';
import type { Executor } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import type { Clock } from '../../lib/clock.js';
import { iso } from '../../lib/time.js';
import * as repo from './users.repository.js';

/**
 * The platform no longer hands out nicknames at login, so a new user shows under a stable
 * generated name until they pick one.
 */
export function defaultNickname(openid: string): string {
  const tag = createHash('sha256').update(openid).digest('hex').slice(0, 4).toUpperCase();
  return `集赞好友${tag}`;
}

export function toMe(u: repo.UserRow): Me {
  return {
    id: u.id,
    nickname: u.nickname,
    avatarUrl: u.avatarUrl,
    profileCompleted: u.profileCompletedAt !== null,
    createdAt: iso(u.createdAt),
  };
}

export function toUserSummary(u: Pick<repo.UserRow, 'id' | 'nickname' | 'avatarUrl'>): UserSummary {
  return { id: u.id, nickname: u.nickname, avatarUrl: u.avatarUrl };
}

export async function getMe(deps: { db: Executor }, userId: string): Promise<Me> {
  const u = await repo.findById(deps.db, userId);
  if (!u) throw new AppError('UNAUTHENTICATED', 'This account no longer exists; log in again');
  return toMe(u);
}

export async function updateMe(deps: { db: Executor; clock: Clock }, userId: string, body: UpdateMeBody): Promise<Me> {
  const patch: { nickname?: string; avatarUrl?: string } = {};
  if (body.nickname !== undefined) patch.nickname = body.nickname.trim();
  if (body.avatarUrl !== undefined) patch.avatarUrl = body.avatarUrl;
  const u = await repo.updateProfile(deps.db, userId, patch, deps.clock.now());
  if (!u) throw new AppError('UNAUTHENTICATED', 'This account no longer exists; log in again');
  return toMe(u);
}
