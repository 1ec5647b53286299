import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { findHistogramDrift } from '../../src/modules/leaderboard/leaderboard.service.js';
import { findDrift } from '../../src/modules/ledger/ledger.service.js';
import { campaign, createTeam, errorCode, login, REAL_PG_URL, share, testApp, type Client } from '../helper.js';

const ctx = testApp();

async function users(n: number): Promise<Client[]> {
  const out: Client[] = [];
  for (let i = 0; i < n; i++) out.push(await login(ctx));
  return out;
}

describe(`a Double-11 like storm on ${REAL_PG_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  it('64 likers firing 20 likes each at 30 sharers at once: every cap exact, balances equal the ledger', async () => {
    const likerCap = 15;
    const sharerCap = 30;
    const c = await campaign(ctx, { rules: { dailyLikeCap: likerCap, sharerDailyLikeCap: sharerCap } });
    const sharers = await users(30);
    // Half the sharers captain a team, so team balances are under the storm too.
    for (const s of sharers.slice(0, 15)) await createTeam(s, c.id);
    const cards = await Promise.all(sharers.map((s) => share(s, c.id)));
    const likers = await users(64);

    // Each liker aims at 20 different sharers; 64 × 15 likes would fit the likers' caps, but the
    // sharers' caps (30 × 30) run out first, so both caps are reached while requests are in flight.
    const fired = likers.flatMap((liker, l) =>
      Array.from({ length: 20 }, (_, k) => ({ l, s: (l + k) % 30, call: liker.post(`/v1/shares/${cards[(l + k) % 30]}/like`) })),
    );
    const results = await Promise.all(fired.map(async (f) => ({ ...f, res: await f.call })));

    const okBy = { liker: new Map<number, number>(), sharer: new Map<number, number>() };
    const refusedBy = { liker: new Set<number>(), sharer: new Set<number>() };
    for (const { l, s, res } of results) {
      if (res.statusCode === 200) {
        okBy.liker.set(l, (okBy.liker.get(l) ?? 0) + 1);
        okBy.sharer.set(s, (okBy.sharer.get(s) ?? 0) + 1);
      } else if (errorCode(res) === 'DAILY_LIKE_CAP') refusedBy.liker.add(l);
      else if (errorCode(res) === 'SHARER_DAILY_CAP') refusedBy.sharer.add(s);
      else throw new Error(`unexpected answer ${res.statusCode} ${res.body}`);
    }
    for (let l = 0; l < 64; l++) {
      expect(okBy.liker.get(l) ?? 0).toBeLessThanOrEqual(likerCap);
      // A liker refused for the cap had used all of it.
      if (refusedBy.liker.has(l)) expect(okBy.liker.get(l)).toBe(likerCap);
    }
    for (let s = 0; s < 30; s++) {
      expect(okBy.sharer.get(s) ?? 0).toBeLessThanOrEqual(sharerCap);
      if (refusedBy.sharer.has(s)) expect(okBy.sharer.get(s)).toBe(sharerCap);
    }
    expect(refusedBy.sharer.size).toBeGreaterThan(0);

    // The counters, the likes and the ledger all say the same.
    const accepted = results.filter((r) => r.res.statusCode === 200).length;
    const [counts] = await rows<{ likes: number; ledger: number; given: number; received: number }>(
      ctx.database.db,
      sql`select (select count(*)::int from likes where campaign_id = ${c.id}) as likes,
                 (select count(*)::int from energy_ledger where campaign_id = ${c.id}) as ledger,
                 (select coalesce(sum(count), 0)::int from daily_like_counts where campaign_id = ${c.id} and direction = 'given') as given,
                 (select coalesce(sum(count), 0)::int from daily_like_counts where campaign_id = ${c.id} and direction = 'received') as received`,
    );
    expect(counts).toEqual({ likes: accepted, ledger: accepted, given: accepted, received: accepted });
    expect(await findDrift(ctx.database.db)).toEqual([]);
    expect(await findHistogramDrift(ctx.database.db)).toEqual([]);
  }, 120_000);
});
