import { randomUUID } from 'node:crypto';
import type { LeaderboardBy, LeaderboardEntry, MyLeaderboardEntry } from '@jizan/shared';
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Db } from '../../db/client.js';
import type { BoardSync } from '../../lib/board-sync.js';
import { teamStandingOf, topTeams } from '../teams/teams.service.js';
import { gapTo, rankFromAbove, ranked, topOfSortedSet, type Scored } from './board-rules.js';
import * as repo from './leaderboard.repository.js';

/**
 * Where a campaign's two boards are ranked. The service asks it for a board's top rows and the
 * caller's own row; the modules that move energy tell it through BoardSync once they commit.
 * PostgreSQL (the embedded default) ranks from the balances and the rank histogram; Redis keeps
 * a sorted set per board and falls back to PostgreSQL whenever it cannot answer exactly.
 */
export interface BoardStore extends BoardSync {
  readonly kind: 'postgres' | 'redis';
  /** The board's top `limit` rows: energy descending, then id; ties share a rank. */
  top(campaignId: string, by: LeaderboardBy, limit: number): Promise<LeaderboardEntry[]>;
  /** The caller's row (their team's on the team board) with its exact rank; null without one. */
  standing(campaignId: string, by: LeaderboardBy, userId: string): Promise<MyLeaderboardEntry | null>;
  /** One run of the corrector job: brings the kept rankings back to the balances; answers the members rewritten. */
  correct(): Promise<number>;
  /** Connects, if there is anything to connect to; never throws (a store that cannot connect answers from PostgreSQL). */
  open(): Promise<void>;
  close(): Promise<void>;
}

/** pino's call shape. */
export interface BoardLog {
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
}

// ---- PostgreSQL: the balances and the rank histogram (drizzle/*_energy_histogram_sql.sql) ----

/**
 * The embedded default. Listing folds the histogram's pending moves first (so "my rank" sums few
 * of them); a failed fold does not keep the board from being listed: the job folds them later.
 */
export function postgresBoards(db: Db): BoardStore {
  return {
    kind: 'postgres',
    async top(campaignId, by, limit) {
      await repo.compactHistogram(db).catch(() => 0);
      return by === 'team' ? topTeams(db, campaignId, limit) : repo.topUsers(db, campaignId, limit);
    },
    standing(campaignId, by, userId) {
      return by === 'team' ? teamStandingOf(db, campaignId, userId) : repo.myUserStanding(db, campaignId, userId);
    },
    liked: () => {},
    moved: () => {},
    correct: async () => 0,
    open: async () => {},
    close: async () => {},
  };
}

// ---- Redis: one sorted set per board, members with energy > 0, score = energy ----

/** Holders read from PostgreSQL per ZADD while a board is loaded. */
const LOAD_CHUNK = 5_000;
/** How long one instance may hold a board's load (or the corrector's turn) before another may take over. */
const LOAD_LOCK_MS = 10 * 60_000;
const CORRECTOR_LOCK_MS = 60_000;
/**
 * Ledger ids the corrector reads again behind its watermark on every run: ids come from a
 * sequence, so a transaction may commit an id below one already seen; re-reading a balance is
 * idempotent, so reading a few thousand rows twice costs little and catches them.
 */
export const CORRECTOR_TRAIL_IDS = 5_000;
/** Ledger ids the corrector reads per run at most (after an outage it catches up over several runs). */
const CORRECTOR_BATCH_IDS = 200_000;

/**
 * Answers a board's "is it loaded", and what a rank needs, in one step (one snapshot of the set):
 * how many hold more than ARGV[1] (the caller's live energy) and the nearest score above it. The
 * caller's own member (ARGV[2]) is left out: while a void that lowered them is still on its way,
 * their old score must not count as someone above them, nor be the gap to climb.
 */
const STANDING = `
if redis.call('EXISTS', KEYS[2]) == 0 then return false end
local above = redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[1], '+inf')
local mine = redis.call('ZSCORE', KEYS[1], ARGV[2])
local skip = 0
if mine and tonumber(mine) > tonumber(ARGV[1]) then above = above - 1; skip = 1 end
local nearest = redis.call('ZRANGE', KEYS[1], '(' .. ARGV[1], '+inf', 'BYSCORE', 'LIMIT', 0, 2, 'WITHSCORES')
local gap = nearest[2]
if skip == 1 and nearest[1] == ARGV[2] then gap = nearest[4] end
return {above, gap or false}`;

/** The top `ARGV[1]` (reversed) and, when it is full, the tie at its last score in member order. */
const TOP = `
if redis.call('EXISTS', KEYS[2]) == 0 then return false end
local n = tonumber(ARGV[1])
local top = redis.call('ZRANGE', KEYS[1], 0, n - 1, 'REV', 'WITHSCORES')
local tied = {}
if #top == 2 * n then
  local last = top[#top]
  tied = redis.call('ZRANGE', KEYS[1], last, last, 'BYSCORE', 'LIMIT', 0, n)
end
return {top, tied}`;

/** Deletes a lock only if it is still ours. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

type BoardRedis = Redis & {
  boardStanding(board: string, loaded: string, energy: number, member: string): Promise<[number, string | null] | null>;
  boardTop(board: string, loaded: string, limit: number): Promise<[string[], string[]] | null>;
  releaseLock(key: string, token: string): Promise<number>;
};

export interface RedisBoardOptions {
  url: string;
  /** Namespace of every key (default `jizan:board:`); tests give each file its own. */
  prefix: string;
  log: BoardLog;
}

/** Key names, in one place: `<prefix><campaign>:user|team|loaded|loading`, and the corrector's. */
export function boardKeys(prefix: string) {
  return {
    board: (campaignId: string, by: repo.Board) => `${prefix}${campaignId}:${by}`,
    loaded: (campaignId: string) => `${prefix}${campaignId}:loaded`,
    loading: (campaignId: string) => `${prefix}${campaignId}:loading`,
    watermark: `${prefix}corrector:watermark`,
    correcting: `${prefix}corrector:lock`,
  };
}

export function redisBoards(db: Db, opts: RedisBoardOptions): BoardStore {
  const fallback = postgresBoards(db);
  const keys = boardKeys(opts.prefix);
  const redis = new Redis(opts.url, {
    // The likes answered in one turn of the event loop reach Redis as one pipeline.
    enableAutoPipelining: true,
    // Fail at once while Redis is away: every caller has PostgreSQL (reads) or the corrector (writes) to fall back on.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
  }) as BoardRedis;
  redis.defineCommand('boardStanding', { numberOfKeys: 2, lua: STANDING });
  redis.defineCommand('boardTop', { numberOfKeys: 2, lua: TOP });
  redis.defineCommand('releaseLock', { numberOfKeys: 1, lua: RELEASE });

  // One warning per outage, not one per request.
  let down = false;
  const unavailable = (err: unknown, what: string) => {
    if (down) return;
    down = true;
    opts.log.warn({ err, what }, 'leaderboards: Redis unavailable; answering from PostgreSQL');
  };
  redis.on('error', (err) => unavailable(err, 'connection'));
  redis.on('ready', () => {
    if (down) opts.log.info({}, 'leaderboards: Redis back');
    down = false;
  });

  /**
   * Campaigns whose board missed a move on this instance (a write that failed). Until their keys
   * are dropped (then loaded afresh from PostgreSQL), this instance answers them from PostgreSQL.
   */
  const unsynced = new Set<string>();
  const resync = async (campaignId: string) => {
    try {
      await redis.del(keys.loaded(campaignId), keys.board(campaignId, 'user'), keys.board(campaignId, 'team'));
      unsynced.delete(campaignId);
    } catch (err) {
      unavailable(err, 'resync');
    }
  };
  const missed = (campaignId: string | null) => (err: unknown) => {
    unavailable(err, 'write');
    if (campaignId !== null) {
      unsynced.add(campaignId);
      void resync(campaignId);
    }
  };

  /** Writes balances: `raise` never lowers a score (ZADD GT), `set` writes it as read; none kept at 0. */
  const write = (balances: readonly repo.Balance[], how: 'raise' | 'set'): Promise<unknown> =>
    Promise.all(
      balances.map((b) => {
        const key = keys.board(b.campaignId, b.board);
        if (b.energy <= 0) return redis.zrem(key, b.id);
        return how === 'raise' ? redis.zadd(key, 'GT', b.energy, b.id) : redis.zadd(key, b.energy, b.id);
      }),
    );

  /** Team of a sharer, per instance: a member never leaves their team, so a team found is kept. */
  const teams = new LRUCache<string, string>({ max: 100_000 });
  const teamOf = async (campaignId: string, userId: string): Promise<string | null> => {
    const key = `${campaignId}:${userId}`;
    const hit = teams.get(key);
    if (hit) return hit;
    const found = await repo.teamIdOf(db, campaignId, userId);
    if (found) teams.set(key, found);
    return found;
  };

  const withLock = async <T>(key: string, ms: number, work: () => Promise<T>): Promise<T | null> => {
    const token = randomUUID();
    if ((await redis.set(key, token, 'PX', ms, 'NX')) !== 'OK') return null;
    try {
      return await work();
    } finally {
      await redis.releaseLock(key, token).catch(() => 0);
    }
  };

  /**
   * Loads a campaign's two boards from the balances, by chunks (ZADD GT, so a like written
   * meanwhile is never lowered), then marks them loaded. The balances that moved while it read
   * are then read again and written as they are (a void meanwhile may have been raised back by an
   * older chunk). One instance loads a campaign at a time; the others answer from PostgreSQL.
   */
  const loading = new Map<string, Promise<boolean>>();
  const load = (campaignId: string): Promise<boolean> => {
    let running = loading.get(campaignId);
    if (running) return running;
    running = withLock(keys.loading(campaignId), LOAD_LOCK_MS, async () => {
      const since = await repo.lastLedgerId(db);
      for (const by of ['user', 'team'] as const) {
        let after: string | null = null;
        for (;;) {
          const chunk = await repo.holdersAfter(db, campaignId, by, after, LOAD_CHUNK);
          if (chunk.length > 0) await redis.zadd(keys.board(campaignId, by), 'GT', ...chunk.flatMap((h) => [h.energy, h.id]));
          if (chunk.length < LOAD_CHUNK) break;
          after = chunk[chunk.length - 1]!.id;
        }
      }
      const upto = await repo.lastLedgerId(db);
      await write(await repo.balancesMovedBetween(db, Math.max(0, since - CORRECTOR_TRAIL_IDS), upto, campaignId), 'set');
      await redis.set(keys.loaded(campaignId), '1');
      return true;
    })
      .then((done) => done ?? false)
      .catch((err) => {
        unavailable(err, 'load');
        return false;
      })
      .finally(() => loading.delete(campaignId));
    loading.set(campaignId, running);
    return running;
  };

  /** Answers from Redis, or null when it cannot answer exactly (not loaded, missed a move, unreachable). */
  const fromRedis = async <T>(campaignId: string, read: () => Promise<T | null>): Promise<T | null> => {
    if (unsynced.has(campaignId)) {
      await resync(campaignId);
      return null;
    }
    if (redis.status !== 'ready') return null;
    try {
      const answer = await read();
      if (answer === null) void load(campaignId);
      return answer;
    } catch (err) {
      unavailable(err, 'read');
      return null;
    }
  };

  const listing = async (campaignId: string, by: repo.Board, limit: number): Promise<LeaderboardEntry[] | null> => {
    const found = await redis.boardTop(keys.board(campaignId, by), keys.loaded(campaignId), limit);
    if (found === null) return null;
    const [flat, tied] = found;
    const reversed: Scored[] = [];
    for (let i = 0; i < flat.length; i += 2) reversed.push({ id: flat[i]!, energy: Number(flat[i + 1]) });
    const top = topOfSortedSet(reversed, tied, limit);
    const [faces, empty] = await Promise.all([
      repo.facesOf(db, by, top.map((e) => e.id)),
      // A board with fewer holders than a page lists members without energy after them, as PostgreSQL does.
      top.length < limit ? repo.emptyHanded(db, campaignId, by, limit - top.length) : Promise.resolve([]),
    ]);
    const byId = new Map(faces.map((f) => [f.id, f]));
    const listed = top.flatMap((e) => {
      const face = byId.get(e.id);
      return face ? [{ ...face, energy: e.energy }] : [];
    });
    const shown = new Set(listed.map((e) => e.id));
    return ranked([...listed, ...empty.filter((e) => !shown.has(e.id))]);
  };

  const standing = async (campaignId: string, by: repo.Board, userId: string): Promise<MyLeaderboardEntry | null | undefined> => {
    // The caller's own balance is read live, as on PostgreSQL; only who is above comes from Redis.
    const row = by === 'team' ? await repo.teamOnBoard(db, campaignId, userId) : await repo.userOnBoard(db, campaignId, userId);
    if (!row) return null;
    const found = await fromRedis(campaignId, () => redis.boardStanding(keys.board(campaignId, by), keys.loaded(campaignId), row.energy, row.id));
    if (found === null) return undefined;
    const [above, nearest] = found;
    return { ...row, rank: rankFromAbove(Number(above)), gapToPrevious: gapTo(nearest === null ? null : Number(nearest), row.energy) };
  };

  return {
    kind: 'redis',
    async top(campaignId, by, limit) {
      return (await fromRedis(campaignId, () => listing(campaignId, by, limit))) ?? fallback.top(campaignId, by, limit);
    },
    async standing(campaignId, by, userId) {
      const mine = await standing(campaignId, by, userId);
      return mine === undefined ? fallback.standing(campaignId, by, userId) : mine;
    },
    liked(campaignId, sharerId, sharerEnergy, teamEnergy) {
      const failed = missed(campaignId);
      redis.zadd(keys.board(campaignId, 'user'), 'GT', sharerEnergy, sharerId).catch(failed);
      if (teamEnergy === null) return;
      teamOf(campaignId, sharerId)
        .then((teamId) => (teamId ? redis.zadd(keys.board(campaignId, 'team'), 'GT', teamEnergy, teamId) : null))
        .catch(failed);
    },
    moved(campaignId, userIds, how) {
      if (userIds.length === 0) return;
      repo
        .balancesOfUsers(db, campaignId, userIds)
        .then((balances) => write(balances, how === 'raised' ? 'raise' : 'set'))
        .catch(missed(campaignId));
    },
    /**
     * Tails the ledger from a watermark kept in Redis, re-reading a trail of ids behind it, and
     * writes the current balances of whoever moved there as they are: a void's write that lost a
     * race to an older like's, or a move whose write never happened (a crash, an outage), is put
     * right within a run or two. One instance at a time; the others skip the run.
     */
    async correct() {
      if (redis.status !== 'ready') return 0;
      for (const campaignId of unsynced) await resync(campaignId);
      const rewritten = await withLock(keys.correcting, CORRECTOR_LOCK_MS, async () => {
        const last = await repo.lastLedgerId(db);
        const mark = await redis.get(keys.watermark);
        // The first run starts at the ledger's end: boards loaded from then on are loaded from the balances.
        const watermark = mark === null ? last : Number(mark);
        const upto = Math.min(last, watermark + CORRECTOR_BATCH_IDS);
        const balances = await repo.balancesMovedBetween(db, Math.max(0, watermark - CORRECTOR_TRAIL_IDS), upto);
        await write(balances, 'set');
        await redis.set(keys.watermark, String(upto));
        return balances.length;
      });
      return rewritten ?? 0;
    },
    async open() {
      await redis.connect().catch((err: unknown) => unavailable(err, 'connect'));
    },
    async close() {
      if (redis.status === 'ready') await redis.quit().catch(() => {});
      redis.disconnect();
    },
  };
}

/** The store configuration asks for: Redis with REDIS_URL, else PostgreSQL alone. */
export function boardStoreFor(db: Db, config: { redisUrl: string | null; keyPrefix: string }, log: BoardLog): BoardStore {
  return config.redisUrl ? redisBoards(db, { url: config.redisUrl, prefix: config.keyPrefix, log }) : postgresBoards(db);
}
