import { createHash, randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { LIMITS } from '@jizan/shared/constants';
import { contentRefusal } from '@jizan/shared/names';
import type { Me, UpdateMeBody, UserSummary } from '@jizan/shared';
import type { Db, Executor } from '../../db/client.js';
import { Batcher } from '../../lib/batcher.js';
import { AppError } from '../../lib/errors.js';
import type { Clock } from '../../lib/clock.js';
import { screenText, submitMediaWithin, type ContentCheckSettings } from '../../lib/content-check.js';
import { requireName } from '../../lib/names.js';
import { iso } from '../../lib/time.js';
import { AVATAR_PATH_PREFIX, AVATAR_FILE, avatarUrlAllowed, IMAGE_MIME, sniffImage, type ImageType } from './avatar-rules.js';
import type { AvatarStorage } from './avatar-storage.js';
import * as repo from './users.repository.js';

/**
 * The platform no longer hands out nicknames at login, so a new user shows under a stable
 * generated name until they pick one.
 */
export function defaultNickname(openid: string): string {
  const tag = createHash('sha256').update(openid).digest('hex').slice(0, 4).toUpperCase();
  return `集赞好友${tag}`;
}

/** A valid token whose user is gone: the client must log in again. */
export function accountGone(): AppError {
  return new AppError('UNAUTHENTICATED', 'This account no longer exists; log in again');
}

export function toMe(u: repo.UserRow): Me {
  return {
    id: u.id,
    nickname: u.nickname,
    avatarUrl: u.avatarUrl,
    profileCompleted: u.profileCompletedAt !== null,
    pendingNickname: u.pendingNickname,
    avatarPending: u.pendingAvatarUrl !== null,
    avatarHidden: u.avatarHiddenAt !== null,
    createdAt: iso(u.createdAt),
  };
}

export function toUserSummary(u: Pick<repo.UserRow, 'id' | 'nickname' | 'avatarUrl'>): UserSummary {
  return { id: u.id, nickname: u.nickname, avatarUrl: u.avatarUrl };
}

/** The user a platform identity belongs to, created on first sight under a generated nickname. */
export async function userForIdentity(ex: Executor, identity: { openid: string; unionid: string | null }): Promise<UserSummary> {
  return toUserSummary(await repo.upsertByOpenid(ex, { ...identity, defaultNickname: defaultNickname(identity.openid) }));
}

async function requireRow(ex: Executor, userId: string): Promise<repo.UserRow> {
  const u = await repo.findById(ex, userId);
  if (!u) throw accountGone();
  return u;
}

/**
 * Users known to exist, for a minute: every authenticated request asks, and without this the like
 * (one statement since #11) would pay a second round trip for it. Only "exists" is remembered:
 * the app never deletes a user, so the one stale answer possible is an account removed by hand,
 * refused within the minute. One cache per database, as tests run several in one process.
 */
const knownUsers = new WeakMap<Db, LRUCache<string, true>>();

/**
 * The lookups of users not known yet, gathered into one statement per batch: a stampede of new
 * likers asks for hundreds a second, each the first request of its user on this instance, and a
 * round trip each was a tenth of the API's CPU in that burst.
 */
const lookups = new WeakMap<Db, Batcher<string, boolean>>();

export async function userExists(db: Db, userId: string): Promise<boolean> {
  let known = knownUsers.get(db);
  if (!known) knownUsers.set(db, (known = new LRUCache({ max: 200_000, ttl: 60_000 })));
  if (known.has(userId)) return true;
  let lookup = lookups.get(db);
  if (!lookup) {
    lookup = new Batcher(async (ids: string[]) => {
      const found = await repo.existingIds(db, ids);
      return ids.map((id) => found.has(id));
    }, { maxBatch: 500, maxInFlight: 2 });
    lookups.set(db, lookup);
  }
  const found = await lookup.submit(userId);
  if (found) known.set(userId, true);
  return found;
}

/** The logged-in caller; refused with UNAUTHENTICATED when their account is gone. */
export async function requireUser(ex: Executor, userId: string): Promise<UserSummary> {
  return toUserSummary(await requireRow(ex, userId));
}

/** The caller's openid under the mini-program: whom the pay platform charges (never shown to anyone). */
export async function openidOf(ex: Executor, userId: string): Promise<string> {
  return (await requireRow(ex, userId)).openid;
}

export async function getMe(deps: { db: Executor }, userId: string): Promise<Me> {
  return toMe(await requireRow(deps.db, userId));
}

export interface AvatarSettings {
  storage: AvatarStorage;
  /** Hosts whose https pictures may be used as they are. */
  allowedHosts: string[];
}

export interface ProfileDeps {
  db: Executor;
  clock: Clock;
  avatars: AvatarSettings;
  /** The platform's content check of names and pictures strangers see. */
  content: ContentCheckSettings;
}

/** A name the platform's check refused, with the reason in the words the user reads. */
export function contentRefused(field: 'nickname' | 'name', label: number): AppError {
  return new AppError('CONTENT_REFUSED', contentRefusal(field, label), { field, label });
}

/**
 * Where a new avatar goes: shown at once once its check is submitted (a late risky verdict takes
 * it down), held from everyone while the check cannot be submitted (fail-closed), or shown
 * unchecked under the `allow` policy. The trace id is recorded once the row is written.
 */
async function avatarPatch(deps: ProfileDeps, openid: string, url: string): Promise<{ patch: repo.ProfilePatch; traceId: string | null }> {
  const traceId = await submitMediaWithin(deps.content, { openid, url });
  if (traceId || deps.content.policy === 'allow') return { patch: { avatarUrl: url, pendingAvatarUrl: null, avatarHiddenAt: null }, traceId };
  return { patch: { pendingAvatarUrl: url }, traceId: null };
}

async function writeProfile(deps: ProfileDeps, row: repo.UserRow, patch: repo.ProfilePatch, traceId: string | null): Promise<Me> {
  const now = deps.clock.now();
  const u = await repo.updateProfile(deps.db, row.id, patch, now);
  if (!u) throw accountGone();
  if (traceId && patch.avatarUrl) await repo.insertAvatarCheck(deps.db, { traceId, userId: u.id, avatarUrl: patch.avatarUrl, at: now });
  return toMe(u);
}

/**
 * Sets the nickname and avatar. The nickname is checked before anything is written, within the
 * check's deadline, outside any transaction: a refused one answers CONTENT_REFUSED; one the
 * platform could not judge is kept as `pendingNickname` (seen by its owner only) and the job
 * `content-recheck` asks again later.
 */
export async function updateMe(deps: ProfileDeps, userId: string, body: UpdateMeBody): Promise<Me> {
  const row = await requireRow(deps.db, userId);
  let patch: repo.ProfilePatch = {};
  let traceId: string | null = null;
  if (body.nickname !== undefined) {
    const nickname = requireName('nickname', body.nickname, LIMITS.nicknameMaxLength);
    const screening = await screenText(deps.content, { openid: row.openid, content: nickname });
    if (screening.verdict === 'refused') throw contentRefused('nickname', screening.label);
    patch = screening.verdict === 'held' ? { pendingNickname: nickname } : { nickname, pendingNickname: null };
  }
  if (body.avatarUrl !== undefined) {
    if (!avatarUrlAllowed(body.avatarUrl, deps.avatars.allowedHosts)) {
      throw new AppError('VALIDATION_FAILED', 'The avatar must be uploaded to POST /v1/me/avatar or be an https picture from an allowed host', [
        { path: 'body/avatarUrl', message: 'is not an allowed avatar URL' },
      ]);
    }
    const avatar = await avatarPatch(deps, row.openid, body.avatarUrl);
    patch = { ...patch, ...avatar.patch };
    traceId = avatar.traceId;
  }
  return writeProfile(deps, row, patch, traceId);
}

/** A user to make in bulk (seed, admin tools): a nickname given counts as a completed profile. */
export interface UserToEnsure {
  openid: string;
  nickname?: string;
}

// Keeps one INSERT's bind parameters well under PostgreSQL's 65,535.
const BATCH = 500;

/** Makes the users that do not exist yet and returns every one's id, in the order asked. */
export async function ensureUsers(deps: { db: Executor; clock: Clock }, wanted: UserToEnsure[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < wanted.length; i += BATCH) {
    const batch = wanted.slice(i, i + BATCH).map(({ openid, nickname }) =>
      nickname
        ? { openid, nickname, profileCompletedAt: deps.clock.now() }
        : { openid, nickname: defaultNickname(openid), profileCompletedAt: null },
    );
    await repo.insertMissing(deps.db, batch);
    const byOpenid = await repo.idsByOpenid(deps.db, batch.map((b) => b.openid));
    for (const b of batch) ids.push(byOpenid.get(b.openid)!);
  }
  return ids;
}

/**
 * Stores an uploaded picture and makes it the user's avatar. The type is read from the bytes;
 * the size was capped while receiving. The stored name is random, so nobody can guess or overwrite another's.
 */
export async function uploadAvatar(deps: ProfileDeps, userId: string, bytes: Buffer): Promise<Me> {
  const type = sniffImage(bytes);
  if (!type) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'An avatar must be a PNG, JPEG, GIF or WebP picture');
  const row = await requireRow(deps.db, userId);
  const name = `${randomUUID()}.${type}`;
  await deps.avatars.storage.put(name, bytes);
  const avatar = await avatarPatch(deps, row.openid, AVATAR_PATH_PREFIX + name);
  return writeProfile(deps, row, avatar.patch, avatar.traceId);
}

// ---- Content checks that finish later ----

/**
 * A media check's verdict pushed by the platform. A risky picture is taken down while it is still
 * the user's avatar, and the user's profile says so (`avatarHidden`); a verdict pushed again
 * changes nothing. Answers whether this push took an avatar down.
 */
export async function applyAvatarVerdict(
  deps: { db: Executor; clock: Clock },
  v: { traceId: string; suggest: string; label: number },
): Promise<{ hidden: boolean; userId: string | null }> {
  const now = deps.clock.now();
  const check = await repo.resolveAvatarCheck(deps.db, { ...v, at: now });
  if (!check) return { hidden: false, userId: null };
  // `review` leaves the picture up: only a verdict of risk takes down what the user already sees.
  if (v.suggest !== 'risky') return { hidden: false, userId: check.userId };
  const hidden = await repo.hideAvatarIf(deps.db, { userId: check.userId, avatarUrl: check.avatarUrl, at: now });
  return { hidden, userId: check.userId };
}

/**
 * Asks the platform again about what is held back: a held nickname that now passes is shown, one
 * refused is dropped (the old one stays); a held avatar whose check can now be submitted is shown.
 * Answers how many profiles changed.
 */
export async function recheckHeldProfiles(deps: Pick<ProfileDeps, 'db' | 'clock' | 'content'>, limit = 100): Promise<number> {
  let changed = 0;
  for (const u of await repo.heldForReview(deps.db, limit)) {
    let patch: repo.ProfilePatch = {};
    let traceId: string | null = null;
    if (u.pendingNickname !== null) {
      const screening = await screenText(deps.content, { openid: u.openid, content: u.pendingNickname });
      if (screening.verdict === 'pass') patch = { nickname: u.pendingNickname, pendingNickname: null };
      else if (screening.verdict === 'refused') patch = { pendingNickname: null };
    }
    if (u.pendingAvatarUrl !== null) {
      traceId = await submitMediaWithin(deps.content, { openid: u.openid, url: u.pendingAvatarUrl });
      if (traceId) patch = { ...patch, avatarUrl: u.pendingAvatarUrl, pendingAvatarUrl: null, avatarHiddenAt: null };
    }
    if (Object.keys(patch).length === 0) continue;
    await repo.updateReview(deps.db, u.id, patch);
    if (traceId && patch.avatarUrl) await repo.insertAvatarCheck(deps.db, { traceId, userId: u.id, avatarUrl: patch.avatarUrl, at: deps.clock.now() });
    changed++;
  }
  return changed;
}

/** An uploaded avatar's bytes and type, or AVATAR_NOT_FOUND-as-404 for any other name. */
export async function readAvatar(deps: { avatars: AvatarSettings }, name: string): Promise<{ bytes: Buffer; mime: string }> {
  const bytes = AVATAR_FILE.test(name) ? await deps.avatars.storage.get(name) : null;
  if (!bytes) throw new AppError('NOT_FOUND', 'No such avatar');
  return { bytes, mime: IMAGE_MIME[name.split('.').pop() as ImageType] };
}
