import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { compactHistogram, findHistogramDrift } from '../../src/modules/leaderboard/leaderboard.service.js';
import { findDrift } from '../../src/modules/ledger/ledger.service.js';
import { campaign, createTeam, login, REAL_PG_URL, share, testApp, type Client } from '../helper.js';
import { boardPrefix, redisReachable, TEST_REDIS_URL, testRedis } from '../redis.js';

const reachable = await redisReachable();
if (!reachable) console.warn(`\n!!! SKIPPED: Redis at ${TEST_REDIS_URL} is unreachable, so the ranks of boards kept in Redis were NOT tested !!!\n`);

/** Both stores: PostgreSQL alone (the embedded default), and Redis sorted sets (REDIS_URL). */
const stores: { store: string; prefix: string | null }[] = [
  { store: 'PostgreSQL', prefix: null },
  ...(reachable ? [{ store: 'Redis', prefix: boardPrefix() }] : []),
];

describe.each(stores)('"my rank" with the boards ranked by $store', ({ prefix }) => {
  const ctx = testApp({ config: prefix ? { REDIS_URL: TEST_REDIS_URL, JIZAN_BOARD_KEY_PREFIX: prefix } : {} });
  const redis = prefix ? testRedis() : null;
  afterAll(async () => {
    if (redis && prefix) await redis.dropPrefix(prefix);
    redis?.disconnect();
  });

  async function users(n: number): Promise<Client[]> {
    const out: Client[] = [];
    for (let i = 0; i < n; i++) out.push(await login(ctx));
    return out;
  }

  /** The plain SQL answer: rank() over every row of the board, ties sharing a rank (1, 2, 2, 4). */
  async function windowRanks(campaignId: string, board: 'user' | 'team'): Promise<Map<string, { rank: number; energy: number }>> {
    const found = await rows<{ id: string; energy: unknown; rank: unknown }>(
      ctx.database.db,
      board === 'user'
        ? sql`select user_id::text as id, energy, rank() over (order by energy desc) as rank from participants where campaign_id = ${campaignId}`
        : sql`select id::text, energy, rank() over (order by energy desc) as rank from teams where campaign_id = ${campaignId}`,
    );
    return new Map(found.map((r) => [r.id, { rank: Number(r.rank), energy: Number(r.energy) }]));
  }

  /** Top, middle, bottom-with-energy and no-energy ids of a board, by the window's order. */
  function spread(ranks: Map<string, { rank: number; energy: number }>): string[] {
    const ordered = [...ranks.entries()].sort((a, b) => a[1].rank - b[1].rank);
    const withEnergy = ordered.filter(([, r]) => r.energy > 0);
    const without = ordered.filter(([, r]) => r.energy === 0);
    expect(withEnergy.length).toBeGreaterThan(4);
    expect(without.length).toBeGreaterThan(0);
    return [withEnergy[0]![0], withEnergy[Math.floor(withEnergy.length / 2)]![0], withEnergy.at(-1)![0], without[0]![0]];
  }

  /** Waits until a board kept in Redis is loaded, then says whether it holds exactly the balances above zero. */
  async function redisHoldsTheBalances(campaignId: string): Promise<void> {
    if (!redis || !prefix) return;
    await expect.poll(() => redis.exists(`${prefix}${campaignId}:loaded`), { timeout: 10_000 }).toBe(1);
    for (const board of ['user', 'team'] as const) {
      const kept = await redis.zrange(`${prefix}${campaignId}:${board}`, 0, -1, 'WITHSCORES');
      const held = new Map<string, number>();
      for (let i = 0; i < kept.length; i += 2) held.set(kept[i]!, Number(kept[i + 1]));
      const balances = [...(await windowRanks(campaignId, board)).entries()].filter(([, r]) => r.energy > 0);
      expect(held, `the ${board} board in Redis`).toEqual(new Map(balances.map(([id, r]) => [id, r.energy])));
    }
  }

  describe(`against a window over the board on ${REAL_PG_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
    it('is exact on both boards for the top, the middle, the bottom and no energy, after concurrent likes', async () => {
      // 170 energy a like: balances spread over several of the histogram's 1024-energy buckets.
      const c = await campaign(ctx, { rules: { dailyLikeCap: 50, sharerDailyLikeCap: null, likeEnergy: 170 } });
      // 14 sharers: 8 captain a team, 4 of those with a second member (also a sharer), 2 on their own.
      const sharers = await users(14);
      const teams: { captain: Client; team: { id: string } }[] = [];
      for (const captain of sharers.slice(0, 8)) teams.push({ captain, team: await createTeam(captain, c.id) });
      for (let i = 0; i < 4; i++) {
        const card = await share(teams[i]!.captain, c.id, 'team');
        expect((await sharers[8 + i]!.post(`/v1/shares/${card}/join`)).statusCode).toBe(200);
      }
      const cards = await Promise.all(sharers.map((s) => share(s, c.id)));
      // A participant without energy (a card, no like), a team without energy, and a user who never took part.
      const idle = await login(ctx);
      await share(idle, c.id);
      const idleCaptain = await login(ctx);
      await createTeam(idleCaptain, c.id);
      const stranger = await login(ctx);
      // Two sharers liked once each by a fresh liker, one after the other, and never again: a tie on
      // the board that does not hang on the order in which concurrent first likes land.
      const twins = await users(2);
      for (const twin of twins) expect((await (await login(ctx)).post(`/v1/shares/${await share(twin, c.id)}/like`)).statusCode).toBe(200);

      // 40 likers fire at once, each at a pattern of sharers, so energies spread and tie (first likes
      // count double); compactions run in between, as the job and the board reads would.
      const likers = await users(40);
      const fired = likers.flatMap((liker, l) =>
        sharers.map((_, s) => s).filter((s) => (l * 7 + s * 3) % 5 < (s % 4) + 1).map((s) => liker.post(`/v1/shares/${cards[s]}/like`)),
      );
      const compactions = [compactHistogram(ctx.database.db), new Promise((r) => setTimeout(r, 50)).then(() => compactHistogram(ctx.database.db))];
      const results = await Promise.all(fired);
      await Promise.all(compactions);
      expect(results.every((r) => r.statusCode === 200)).toBe(true);
      expect(await findDrift(ctx.database.db)).toEqual([]);
      expect(await findHistogramDrift(ctx.database.db)).toEqual([]);

      const check = async () => {
        const byUser = await windowRanks(c.id, 'user');
        // Ties are part of what is checked: some energies are held by more than one sharer.
        const held = [...byUser.values()].filter((r) => r.energy > 0).map((r) => r.energy);
        expect(new Set(held).size).toBeLessThan(held.length);
        expect(new Set(held.map((e) => e >> 10)).size).toBeGreaterThan(2);
        for (const id of spread(byUser)) {
          const viewer = [...sharers, ...twins, idle, idleCaptain, ...likers].find((u) => u.id === id)!;
          const me = (await viewer.get(`/v1/campaigns/${c.id}/leaderboard?by=user`)).json().me;
          const above = [...byUser.values()].filter((r) => r.energy > byUser.get(id)!.energy).map((r) => r.energy);
          expect(me, `user ${id}`).toMatchObject({
            id,
            energy: byUser.get(id)!.energy,
            rank: byUser.get(id)!.rank,
            gapToPrevious: above.length ? Math.min(...above) - byUser.get(id)!.energy : null,
          });
        }
        // Someone who never took part stands with those at zero.
        const zero = [...byUser.values()].find((r) => r.energy === 0)!.rank;
        expect((await stranger.get(`/v1/campaigns/${c.id}/leaderboard?by=user`)).json().me).toMatchObject({ energy: 0, rank: zero });

        const byTeam = await windowRanks(c.id, 'team');
        const captains = new Map([...teams.map((t) => [t.team.id, t.captain] as const), [(await idleCaptain.get(`/v1/campaigns/${c.id}/leaderboard`)).json().me.id, idleCaptain]]);
        for (const id of spread(byTeam)) {
          const me = (await captains.get(id)!.get(`/v1/campaigns/${c.id}/leaderboard?by=team`)).json().me;
          expect(me, `team ${id}`).toMatchObject({ id, energy: byTeam.get(id)!.energy, rank: byTeam.get(id)!.rank });
          expect((await captains.get(id)!.get(`/v1/teams/${id}`)).json().rank).toBe(byTeam.get(id)!.rank);
        }
        // A member sees their team's row too.
        const member = sharers[8]!;
        expect((await member.get(`/v1/campaigns/${c.id}/leaderboard?by=team`)).json().me).toMatchObject({
          id: teams[0]!.team.id,
          rank: byTeam.get(teams[0]!.team.id)!.rank,
        });
      };
      // The first board reads fold the moves in; the likes after them stay pending moves (the listed
      // rows are cached for a couple of seconds), which "me" must count all the same.
      await check();
      // The first reads loaded the boards into Redis (until then they answered from PostgreSQL).
      await redisHoldsTheBalances(c.id);
      await check();
      const more = await users(12);
      await Promise.all(more.flatMap((liker, l) => [cards[l % 14], cards[(l * 5) % 14]].map((card) => liker.post(`/v1/shares/${card}/like`))));
      const [pending] = await rows<{ n: unknown }>(ctx.database.db, sql`select count(*) as n from energy_histogram_moves where campaign_id = ${c.id}`);
      expect(Number(pending!.n)).toBeGreaterThan(0);
      await check();
      // Written through as the likes committed, not reloaded: the board was already loaded.
      await redisHoldsTheBalances(c.id);
      expect(await findHistogramDrift(ctx.database.db)).toEqual([]);
      await compactHistogram(ctx.database.db);
      expect(await findHistogramDrift(ctx.database.db)).toEqual([]);
      await check();
    }, 120_000);
  });
});
