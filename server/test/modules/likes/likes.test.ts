import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../../src/db/client.js';
import { shares } from '../../../src/db/schema/index.js';
import { requireCampaign } from '../../../src/modules/campaigns/campaigns.service.js';
import { NO_IDEMPOTENCY } from '../../../src/modules/idempotency/idempotency.service.js';
import { likePayload, likeShares } from '../../../src/modules/likes/likes.repository.js';
import { likeRequest } from '../../../src/modules/likes/likes.service.js';
import { campaign, createTeam, errorCode, login, share, testApp, unique, type Client } from '../../helper.js';

const ctx = testApp();

const HOUR = 3600_000;

describe('liking a share card', () => {
  it('credits the sharer and the sharer’s team, double for a liker’s first like ever', async () => {
    const c = await campaign(ctx);
    const sharer = await login(ctx);
    const team = await createTeam(sharer, c.id);
    const token = await share(sharer, c.id);
    const [newbie, veteran] = [await login(ctx), await login(ctx)];
    const warmUp = await share(await login(ctx), c.id);
    await veteran.post(`/v1/shares/${warmUp}/like`);

    const first = await newbie.post(`/v1/shares/${token}/like`);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ energy: 20, newLikerBonus: true, sharerEnergy: 20, teamEnergy: 20 });
    const second = await veteran.post(`/v1/shares/${token}/like`);
    expect(second.json()).toEqual({ energy: 10, newLikerBonus: false, sharerEnergy: 30, teamEnergy: 30 });

    const t = (await sharer.get(`/v1/teams/${team.id}`)).json();
    expect(t.energy).toBe(30);
    expect(t.members[0].energy).toBe(30);
    const ledger = (await sharer.get(`/v1/me/ledger?campaignId=${c.id}`)).json();
    expect(ledger.balance).toBe(30);
    expect(ledger.entries.map((e: { amount: number; reason: string }) => [e.amount, e.reason])).toEqual([
      [10, 'like'],
      [20, 'new_liker_like'],
    ]);
    expect(ledger.entries[1].from.id).toBe(newbie.id);
  });

  it('credits a sharer without a team and reports teamEnergy null', async () => {
    const c = await campaign(ctx);
    const token = await share(await login(ctx), c.id);
    const res = await (await login(ctx)).post(`/v1/shares/${token}/like`);
    expect(res.json()).toMatchObject({ sharerEnergy: 20, teamEnergy: null });
  });

  it('refuses a like between teammates unless the campaign allows it, and the landing says so first', async () => {
    const c = await campaign(ctx);
    const captain = await login(ctx);
    await createTeam(captain, c.id);
    const card = await share(captain, c.id, 'team');
    const mate = await login(ctx);
    expect((await mate.post(`/v1/shares/${card}/join`)).statusCode).toBe(200);
    expect((await mate.get(`/v1/shares/${card}`)).json().viewer).toMatchObject({ canLike: false, likeBlockedBy: 'TEAMMATE_LIKE' });
    const refused = await mate.post(`/v1/shares/${card}/like`);
    expect(refused.statusCode).toBe(409);
    expect(errorCode(refused)).toBe('TEAMMATE_LIKE');
    // Nothing moved: the like was refused before any counter or balance.
    expect((await captain.get(`/v1/me/ledger?campaignId=${c.id}`)).json().balance).toBe(0);

    const open = await campaign(ctx, { rules: { teammateLikes: 'allowed' } });
    await createTeam(captain, open.id);
    const openCard = await share(captain, open.id, 'team');
    expect((await mate.post(`/v1/shares/${openCard}/join`)).statusCode).toBe(200);
    expect((await mate.get(`/v1/shares/${openCard}`)).json().viewer).toMatchObject({ canLike: true, likeBlockedBy: null });
    expect((await mate.post(`/v1/shares/${openCard}/like`)).json()).toMatchObject({ sharerEnergy: 20, teamEnergy: 20 });
  });

  it('refuses with the very blocker the landing showed, when several rules apply at once', async () => {
    // The like's guards run in SQL (like_shares) and the landing's in likeBlockedBy: same order, same codes.
    const agree = async (friend: Client, card: string, code: string) => {
      expect((await friend.get(`/v1/shares/${card}`)).json().viewer.likeBlockedBy).toBe(code);
      expect(errorCode(await friend.post(`/v1/shares/${card}/like`))).toBe(code);
    };
    for (const teammateLikes of ['refused', 'allowed'] as const) {
      const c = await campaign(ctx, { rules: { dailyLikeCap: 1, sharerDailyLikeCap: 1, teammateLikes } });
      const captain = await login(ctx);
      await createTeam(captain, c.id);
      const card = await share(captain, c.id, 'team');
      await agree(captain, card, 'SELF_LIKE');
      // A friend likes (using their cap and the captain's), then joins: teammate, already liked, both capped.
      const mate = await login(ctx);
      expect((await mate.post(`/v1/shares/${card}/like`)).statusCode).toBe(200);
      expect((await mate.post(`/v1/shares/${card}/join`)).statusCode).toBe(200);
      await agree(mate, card, teammateLikes === 'refused' ? 'TEAMMATE_LIKE' : 'ALREADY_LIKED');
      // Another card: the mate's own cap is used and its sharer not yet; then a fresh friend on the capped captain.
      await agree(mate, await share(await login(ctx), c.id), 'DAILY_LIKE_CAP');
      await agree(await login(ctx), card, 'SHARER_DAILY_CAP');
    }
  });

  it('sees a rules edit written straight to the database on the very next like', async () => {
    const c = await campaign(ctx, { rules: { likeEnergy: 10 } });
    const sharer = await login(ctx);
    const card = await share(sharer, c.id);
    const warm = await login(ctx);
    expect((await warm.post(`/v1/shares/${card}/like`)).json()).toMatchObject({ energy: 20 });
    // An operator's edit, as another instance or psql would make it: this instance's cache is not told.
    await ctx.database.db.execute(sql`update campaigns set rules = rules || '{"likeEnergy": 7, "firstLikeMultiplier": 3}'::jsonb where id = ${c.id}`);
    expect((await (await login(ctx)).post(`/v1/shares/${card}/like`)).json()).toMatchObject({ energy: 21, sharerEnergy: 41 });
    await ctx.database.db.execute(sql`update campaigns set rules = rules || '{"dailyLikeCap": 1}'::jsonb where id = ${c.id}`);
    const other = await share(await login(ctx), c.id);
    expect(errorCode(await warm.post(`/v1/shares/${other}/like`))).toBe('DAILY_LIKE_CAP');
    await ctx.database.db.execute(sql`update campaigns set ends_at = ${new Date(ctx.clock.now().getTime() - 1000)} where id = ${c.id}`);
    expect(errorCode(await (await login(ctx)).post(`/v1/shares/${card}/like`))).toBe('CAMPAIGN_NOT_ACTIVE');
  });

  it('refuses liking yourself', async () => {
    const c = await campaign(ctx);
    const me = await login(ctx);
    const res = await me.post(`/v1/shares/${await share(me, c.id)}/like`);
    expect(res.statusCode).toBe(409);
    expect(errorCode(res)).toBe('SELF_LIKE');
  });

  it('allows one like per sharer per campaign day, whichever card it comes through', async () => {
    const c = await campaign(ctx);
    const sharer = await login(ctx);
    const [card1, card2] = [await share(sharer, c.id), await share(sharer, c.id)];
    const friend = await login(ctx);
    expect((await friend.post(`/v1/shares/${card1}/like`)).statusCode).toBe(200);
    const again = await friend.post(`/v1/shares/${card2}/like`);
    expect(again.statusCode).toBe(409);
    expect(errorCode(again)).toBe('ALREADY_LIKED');
    // T0 is noon in Shanghai; 12 hours on is the next local day.
    ctx.clock.advance(12 * HOUR);
    try {
      expect((await friend.post(`/v1/shares/${card1}/like`)).json().energy).toBe(10);
    } finally {
      ctx.clock.advance(-12 * HOUR);
    }
  });

  it('caps the likes a liker gives per day and lets them again after local midnight', async () => {
    const c = await campaign(ctx, { rules: { dailyLikeCap: 2 } });
    const liker = await login(ctx);
    const cards = [];
    for (let i = 0; i < 3; i++) cards.push(await share(await login(ctx), c.id));
    expect((await liker.post(`/v1/shares/${cards[0]}/like`)).statusCode).toBe(200);
    expect((await liker.post(`/v1/shares/${cards[1]}/like`)).statusCode).toBe(200);
    const capped = await liker.post(`/v1/shares/${cards[2]}/like`);
    expect(capped.statusCode).toBe(409);
    expect(errorCode(capped)).toBe('DAILY_LIKE_CAP');
    expect((await liker.get(`/v1/campaigns/${c.id}`)).json().me.likesLeftToday).toBe(0);
    ctx.clock.advance(4 * HOUR - 1); // 15:59:59.999 Shanghai: same day
    expect(errorCode(await liker.post(`/v1/shares/${cards[2]}/like`))).toBe('DAILY_LIKE_CAP');
    ctx.clock.advance(8 * HOUR + 1); // 00:00 Shanghai next day
    try {
      expect((await liker.post(`/v1/shares/${cards[2]}/like`)).statusCode).toBe(200);
    } finally {
      ctx.clock.advance(-12 * HOUR);
    }
  });

  it('caps likes a sharer receives per day when the campaign sets a cap', async () => {
    const c = await campaign(ctx, { rules: { sharerDailyLikeCap: 1 } });
    const card = await share(await login(ctx), c.id);
    expect((await (await login(ctx)).post(`/v1/shares/${card}/like`)).statusCode).toBe(200);
    const res = await (await login(ctx)).post(`/v1/shares/${card}/like`);
    expect(res.statusCode).toBe(409);
    expect(errorCode(res)).toBe('SHARER_DAILY_CAP');
  });

  it('refuses likes and joins before the start and after the end', async () => {
    const c = await campaign(ctx, { startsAt: new Date(ctx.clock.now().getTime() - HOUR), endsAt: new Date(ctx.clock.now().getTime() + HOUR) });
    const sharer = await login(ctx);
    await createTeam(sharer, c.id);
    const card = await share(sharer, c.id, 'team');
    const friend = await login(ctx);
    ctx.clock.advance(HOUR);
    try {
      for (const action of ['like', 'join']) {
        const res = await friend.post(`/v1/shares/${card}/${action}`);
        expect(res.statusCode, action).toBe(409);
        expect(errorCode(res)).toBe('CAMPAIGN_NOT_ACTIVE');
      }
      const landing = (await friend.get(`/v1/shares/${card}`)).json();
      expect(landing.campaign.status).toBe('ended');
      expect(landing.viewer).toMatchObject({ canLike: false, likeBlockedBy: 'CAMPAIGN_NOT_ACTIVE', canJoin: false });
    } finally {
      ctx.clock.advance(-HOUR);
    }
  });

  it('answers 404 SHARE_NOT_FOUND for unknown, forged and malformed tokens', async () => {
    const c = await campaign(ctx);
    const real = await share(await login(ctx), c.id);
    const friend = await login(ctx);
    const forged = `${real.slice(0, -2)}${real.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const token of ['nope', forged, 'A'.repeat(16) + '.' + 'B'.repeat(16), '%E2%98%83', 'x'.repeat(200)]) {
      for (const [method, suffix] of [['GET', ''], ['POST', '/like'], ['POST', '/join']] as const) {
        const res = await friend.call({ method, url: `/v1/shares/${token}${suffix}` });
        expect(res.statusCode, `${method} ${token}${suffix}`).toBe(404);
        expect(errorCode(res)).toBe('SHARE_NOT_FOUND');
      }
    }
    const tooLong = await friend.post(`/v1/shares/${'x'.repeat(201)}/like`);
    expect(tooLong.statusCode).toBeGreaterThanOrEqual(400);
    expect(tooLong.statusCode).toBeLessThan(500);
  });

  it('requires a login to like or join, but not to see the landing', async () => {
    const c = await campaign(ctx);
    const card = await share(await login(ctx), c.id);
    const anon = await ctx.app.inject({ method: 'GET', url: `/v1/shares/${card}` });
    expect(anon.statusCode).toBe(200);
    expect(anon.json().viewer).toMatchObject({ authenticated: false, canLike: false, likeBlockedBy: 'UNAUTHENTICATED' });
    const like = await ctx.app.inject({ method: 'POST', url: `/v1/shares/${card}/like` });
    expect(like.statusCode).toBe(401);
  });
});

describe('who helped whom', () => {
  it('counts each helper once across days, latest first, and shows a helper whom they helped', async () => {
    const c = await campaign(ctx);
    const sharer = await login(ctx);
    const other = await login(ctx);
    const [card, otherCard] = [await share(sharer, c.id), await share(other, c.id)];
    const [ann, bob] = [await login(ctx), await login(ctx)];
    await ann.post(`/v1/shares/${card}/like`);
    await bob.post(`/v1/shares/${card}/like`);
    await ann.post(`/v1/shares/${otherCard}/like`);
    // Next local day Ann likes again: still one helper, now the latest.
    ctx.clock.advance(12 * HOUR);
    try {
      expect((await ann.post(`/v1/shares/${card}/like`)).statusCode).toBe(200);
    } finally {
      ctx.clock.advance(-12 * HOUR);
    }

    const mine = await sharer.get(`/v1/me/likes?campaignId=${c.id}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().helpers).toEqual({
      count: 2,
      recent: [
        { id: ann.id, nickname: ann.nickname, avatarUrl: null },
        { id: bob.id, nickname: bob.nickname, avatarUrl: null },
      ],
    });
    expect(mine.json().helped).toEqual({ count: 0, recent: [] });
    const anns = (await ann.get(`/v1/me/likes?campaignId=${c.id}`)).json();
    expect(anns.helped.count).toBe(2);
    expect(anns.helped.recent.map((u: { id: string }) => u.id)).toEqual([sharer.id, other.id]);
    expect(anns.helpers.count).toBe(0);
  });

  it('shows at most eight faces however many helped, with the full count', async () => {
    const c = await campaign(ctx);
    const sharer = await login(ctx);
    const card = await share(sharer, c.id);
    for (let i = 0; i < 10; i++) await (await login(ctx)).post(`/v1/shares/${card}/like`);
    const { helpers } = (await sharer.get(`/v1/me/likes?campaignId=${c.id}`)).json();
    expect(helpers.count).toBe(10);
    expect(helpers.recent).toHaveLength(8);
  });

  it('answers 400 without a campaign id and 404 for an unknown campaign', async () => {
    const me = await login(ctx);
    const missing = await me.get('/v1/me/likes');
    expect(missing.statusCode).toBe(400);
    expect(errorCode(missing)).toBe('VALIDATION_FAILED');
    const unknown = await me.get('/v1/me/likes?campaignId=00000000-0000-4000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
    expect(errorCode(unknown)).toBe('CAMPAIGN_NOT_FOUND');
  });
});

describe('a hot sharer', () => {
  it("checks a new like against the day's likes by one index entry, however many the sharer already has", async () => {
    // A Double-11 star takes thousands of likes a day; if the once-per-day check walked the
    // sharer's likes, each like would cost more than the one before. Counted, not timed: the
    // likes table's rows fetched by index scans inside the like's own transaction.
    const db = ctx.database.db;
    const c = await campaign(ctx, { rules: { dailyLikeCap: 10_000 } });
    const sharer = await login(ctx);
    await share(sharer, c.id);
    const target = await requireCampaign(db, c.id);
    const [card] = await db.select({ id: shares.id, sharerId: shares.sharerId }).from(shares).where(eq(shares.campaignId, c.id));
    const friends = await rows<{ id: string }>(
      db,
      sql`insert into users (openid, nickname) select ${unique('hot')} || '-' || g, 'friend' || g from generate_series(1, 300) g returning id::text`,
    );
    const now = new Date();
    const request = (likerId: string) => likeRequest({ campaign: target, share: card! }, { likerId, idempotency: NO_IDEMPOTENCY }, now);
    for (let i = 0; i < friends.length; i += 30) await likeShares(db, friends.slice(i, i + 30).map((f) => request(f.id)));

    const newcomer = await login(ctx);
    const probed = await db.transaction(async (tx) => {
      // Read before and after on the like's own connection (PGlite keeps counting across transactions).
      const fetched = async () => {
        const [seen] = await rows<{ n: unknown }>(tx, sql`select coalesce(idx_tup_fetch, 0) as n from pg_stat_xact_user_tables where relname = 'likes'`);
        return Number(seen?.n ?? 0);
      };
      const before = await fetched();
      const [answer] = await rows<{ outcome: string }>(tx, sql`select outcome from like_shares(${likePayload([request(newcomer.id)])}::jsonb)`);
      expect(answer?.outcome).toBe('liked');
      return (await fetched()) - before;
    });
    expect(probed).toBeLessThanOrEqual(1);
    expect((await sharer.get(`/v1/me/likes?campaignId=${c.id}`)).json().helpers.count).toBe(friends.length + 1);
  });
});
