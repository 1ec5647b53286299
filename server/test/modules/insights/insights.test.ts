import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { CampaignFunnel, CampaignOverview, InviteTree, KFactorDay, RetentionCohort, ShareChannel, TopInviter } from '@jizan/shared';
import { createProduct } from '../../../src/modules/groupbuy/groupbuy.service.js';
import { refreshRollups } from '../../../src/modules/insights/insights.service.js';
import { findDrift } from '../../../src/modules/ledger/ledger.service.js';
import { T0, campaign, createTeam, errorCode, login, share, testApp, type Client } from '../../helper.js';

/**
 * A small world whose every number is worked out by hand (Asia/Shanghai days; T0 is noon on 11-11):
 *
 *   11-11  A founds a team and shares s1. B and C open s1 (A invited both) and like A; C joins A's
 *          team and opens a group buy (paid). B shares s2; D opens it from a poster's code (B
 *          invited D) and likes B. Somebody not logged in opens s1.
 *   11-12  D shares s3; E opens it from Moments (D invited E) and likes D; B opens s3 from a poster
 *          and likes D (B's first open stays the card of 11-11).
 *   11-18  A opens s3 from Moments and likes D.
 *
 * Opens without a channel came by card: by channel, card 3 (B, C, anonymous), poster 2 (D, B),
 * moments 2 (E, A); first opens card B and C, poster D, moments E and A.
 *
 * The invite tree is three levels deep: A → B → D → E, and A → C.
 */
const ADMIN_KEY = 'insights-admin-key-0123456789';
// Tokens outlive the test's seven-day walk through the campaign.
const ctx = testApp({ config: { JIZAN_ADMIN_KEY: ADMIN_KEY, JIZAN_TOKEN_TTL_SECONDS: String(60 * 24 * 3600) } });
const DAY = 24 * 3600_000;
const admin = (url: string, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'GET', url: `/admin/v1${url}`, headers: { authorization: `Bearer ${ADMIN_KEY}`, ...headers } });
// Opens are written in batches (within a second); the rollup and the overview read the table.
const refresh = async (campaignId = world.campaignId) => {
  await ctx.app.deps.shareOpens.flush();
  await refreshRollups({ db: ctx.database.db, clock: ctx.clock }, campaignId);
};
/** Forgets how far the rollups went, so the next refresh folds every event of the campaign again. */
const forgetWatermark = (campaignId: string) =>
  ctx.database.db.execute(sql`update insights_watermarks set upto = '-infinity' where campaign_id = ${campaignId}`);

const world = {} as { campaignId: string; a: Client; b: Client; c: Client; d: Client; e: Client };

async function openAndLike(client: Client, token: string, channel?: ShareChannel) {
  const landing = await client.get(`/v1/shares/${token}${channel ? `?channel=${channel}` : ''}`);
  expect(landing.statusCode, landing.body).toBe(200);
  const res = await client.post(`/v1/shares/${token}/like`);
  expect(res.statusCode, res.body).toBe(200);
}

beforeAll(async () => {
  ctx.clock.set(T0);
  const c = await campaign(ctx, { endsAt: new Date(T0.getTime() + 10 * DAY) });
  world.campaignId = c.id;
  const [a, b, cc, d, e] = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((n) => login(ctx, `insights-${n}-${Date.now()}`)));
  Object.assign(world, { a, b, c: cc, d, e });
  const product = await createProduct({ db: ctx.database.db }, { campaignId: c.id, title: '拼团好物', price: 2990, groupPrice: 1990, groupSize: 3, stock: 10 });

  await createTeam(a!, c.id, 'A队');
  const s1 = await share(a!, c.id);
  await openAndLike(b!, s1);
  await openAndLike(cc!, s1);
  expect((await cc!.post(`/v1/shares/${s1}/join`)).statusCode).toBe(200);
  const s2 = await share(b!, c.id);
  await openAndLike(d!, s2, 'poster');
  const group = await cc!.post('/v1/groups', { productId: product.id });
  expect(group.statusCode, group.body).toBe(201);
  expect((await ctx.app.inject({ method: 'GET', url: `/v1/shares/${s1}` })).statusCode).toBe(200);
  await refresh(); // the job's run on day one: later runs must fold new events in without counting old ones twice

  ctx.clock.set(new Date(T0.getTime() + DAY));
  const s3 = await share(d!, c.id);
  await openAndLike(e!, s3, 'moments');
  await openAndLike(b!, s3, 'poster');

  ctx.clock.set(new Date(T0.getTime() + 7 * DAY));
  await openAndLike(a!, s3, 'moments');
  await refresh();
  await refresh();
}, 180_000); // some forty requests on PGlite: minutes when the whole suite shares two cores

describe('campaign overview', () => {
  it('counts the world as it happened', async () => {
    const res = await admin(`/campaigns/${world.campaignId}/overview`);
    expect(res.statusCode, res.body).toBe(200);
    const o = res.json() as CampaignOverview;
    expect(o).toMatchObject({ participants: 4, teams: 1, shares: 3, opens: 7, likes: 6 });
    // Five first likes at ×2 (B, C, D, E, A) and B's second like: 5 × 20 + 10.
    expect(o.energyIssued).toBe(110);
    expect(o.groupBuys).toEqual({ opened: 1, open: 1, succeeded: 0, succeededWithVirtualSeats: 0, failed: 0, realSeats: 1, virtualSeats: 0 });
    expect(o.redPackets).toEqual({ claimed: 0, poolShares: 0, paid: 0, budget: 0, budgetLeft: 0, delivered: 0, pending: 0, failed: 0, settledAt: null });
    expect(o.asOf).toBe(new Date(T0.getTime() + 7 * DAY).toISOString());
    expect(await findDrift(ctx.database.db)).toEqual([]);
  });

  it('refuses a user token and a missing key, and answers 404 for an unknown campaign', async () => {
    const url = `/admin/v1/campaigns/${world.campaignId}/overview`;
    expect((await world.a.get(url)).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    const res = await admin('/campaigns/00000000-0000-4000-8000-000000000000/overview');
    expect(res.statusCode).toBe(404);
    expect(errorCode(res)).toBe('CAMPAIGN_NOT_FOUND');
  });
});

describe('funnel', () => {
  it('over the whole campaign: 3 cards, 7 opens, 5 openers who all liked, 1 joined, 1 bought and paid', async () => {
    const f = (await admin(`/campaigns/${world.campaignId}/funnel`)).json() as CampaignFunnel;
    expect(f.stages.map((s) => [s.key, s.count])).toEqual([
      ['shares', 3],
      ['opens', 7],
      ['openers', 5],
      ['liked', 5],
      ['joinedTeam', 1],
      ['groupBuy', 1],
      ['paid', 1],
    ]);
    expect(f.stages.find((s) => s.key === 'joinedTeam')).toMatchObject({ fromPrevious: 0.2, fromOpeners: 0.2 });
    expect(f.stages.find((s) => s.key === 'opens')?.fromPrevious).toBeCloseTo(7 / 3, 3);
  });

  it('for day two only: the one new opener (E), and rates that have nothing to convert are null', async () => {
    const from = new Date(T0.getTime() + DAY - 3600_000).toISOString();
    const to = new Date(T0.getTime() + 2 * DAY).toISOString();
    const f = (await admin(`/campaigns/${world.campaignId}/funnel?from=${from}&to=${to}`)).json() as CampaignFunnel;
    const byKey = Object.fromEntries(f.stages.map((s) => [s.key, s]));
    expect(f.stages.map((s) => s.count)).toEqual([1, 2, 1, 1, 0, 0, 0]);
    expect(byKey.openers?.fromPrevious).toBe(0.5);
    expect(byKey.groupBuy?.fromPrevious).toBeNull();
  });

  const split = (f: CampaignFunnel) => f.channels.map((c) => [c.channel, c.opens, ...c.stages.map((s) => s.count)]);

  it('splits opens by channel and each first opener under the channel they came by', async () => {
    const f = (await admin(`/campaigns/${world.campaignId}/funnel`)).json() as CampaignFunnel;
    // channel, opens, then openers, liked, joinedTeam, groupBuy, paid
    expect(split(f)).toEqual([
      ['card', 3, 2, 2, 1, 1, 1],
      ['poster', 2, 1, 1, 0, 0, 0],
      ['moments', 2, 2, 2, 0, 0, 0],
    ]);
    expect(f.channels[0]!.stages.map((s) => s.key)).toEqual(['openers', 'liked', 'joinedTeam', 'groupBuy', 'paid']);
    expect(f.channels[0]!.stages[0]).toMatchObject({ fromPrevious: 0.6667, fromOpeners: 1 });
    expect(f.channels[0]!.stages[2]).toMatchObject({ fromPrevious: 0.5, fromOpeners: 0.5 });
  });

  it("on day two, B's poster open counts as an open but not as a poster opener: B first came by card", async () => {
    const from = new Date(T0.getTime() + DAY - 3600_000).toISOString();
    const to = new Date(T0.getTime() + 2 * DAY).toISOString();
    const f = (await admin(`/campaigns/${world.campaignId}/funnel?from=${from}&to=${to}`)).json() as CampaignFunnel;
    expect(split(f)).toEqual([
      ['card', 0, 0, 0, 0, 0, 0],
      ['poster', 1, 0, 0, 0, 0, 0],
      ['moments', 1, 1, 1, 0, 0, 0],
    ]);
    expect(f.channels.find((c) => c.channel === 'card')?.stages[0]?.fromPrevious).toBeNull();
  });

  it('gives the same numbers when the rollup runs again, and again over every event from the start', async () => {
    const read = async () => ({
      funnel: (await admin(`/campaigns/${world.campaignId}/funnel`)).json() as CampaignFunnel,
      hourly: (await admin(`/campaigns/${world.campaignId}/hourly`)).json() as unknown,
    });
    const before = await read();
    await refresh();
    expect(await read()).toEqual(before);
    await forgetWatermark(world.campaignId);
    await refresh();
    expect(await read()).toEqual({ ...before, funnel: { ...before.funnel, asOf: expect.any(String) } });
  });

  it('users rolled up before channels existed get the channel of their first open on the next run', async () => {
    const before = split((await admin(`/campaigns/${world.campaignId}/funnel`)).json() as CampaignFunnel);
    await ctx.database.db.execute(sql`update insights_users set first_open_channel = null where campaign_id = ${world.campaignId}`);
    expect(split((await admin(`/campaigns/${world.campaignId}/funnel`)).json() as CampaignFunnel).map((c) => c[2])).toEqual([0, 0, 0]);
    await refresh();
    expect(split((await admin(`/campaigns/${world.campaignId}/funnel`)).json() as CampaignFunnel)).toEqual(before);
  });

  // The viewer only opens, never likes: such a user is an opener with no first action yet.
  it('two opens at one instant by two channels count the same whether folded apart or together', async () => {
    const c2 = await campaign(ctx, { endsAt: new Date(ctx.clock.now().getTime() + DAY) });
    const [sharer, viewer] = await Promise.all([login(ctx, `insights-tie-s-${Date.now()}`), login(ctx, `insights-tie-v-${Date.now()}`)]);
    const token = await share(sharer!, c2.id);
    const firstOpeners = async () =>
      ((await admin(`/campaigns/${c2.id}/funnel`)).json() as CampaignFunnel).channels.map((c) => [c.channel, c.opens, c.stages[0]!.count]);
    expect((await viewer!.get(`/v1/shares/${token}?channel=poster`)).statusCode).toBe(200);
    await refresh(c2.id);
    expect(await firstOpeners()).toEqual([['card', 0, 0], ['poster', 1, 1], ['moments', 0, 0]]);
    // Same clock instant: a tie, which goes to the channel first by name in every run.
    expect((await viewer!.get(`/v1/shares/${token}?channel=moments`)).statusCode).toBe(200);
    await refresh(c2.id);
    const apart = await firstOpeners();
    expect(apart).toEqual([['card', 0, 0], ['poster', 1, 0], ['moments', 1, 1]]);
    await forgetWatermark(c2.id);
    await refresh(c2.id);
    expect(await firstOpeners()).toEqual(apart);
  });

  it('refuses a range that ends before it starts', async () => {
    const res = await admin(`/campaigns/${world.campaignId}/funnel?from=${T0.toISOString()}&to=${new Date(T0.getTime() - DAY).toISOString()}`);
    expect(res.statusCode).toBe(400);
  });
});

describe('relationship chain', () => {
  it("A's invite tree is three levels deep with four people in it", async () => {
    const res = await admin(`/users/${world.a.id}/invites?campaignId=${world.campaignId}`);
    expect(res.statusCode, res.body).toBe(200);
    const t = res.json() as InviteTree;
    expect(t).toMatchObject({ depth: 3, size: 4, truncated: false });
    const ids = (n: InviteTree['root']) => n.children.map((c) => c.userId).sort();
    expect(t.root.userId).toBe(world.a.id);
    expect(ids(t.root)).toEqual([world.b.id, world.c.id].sort());
    const b = t.root.children.find((c) => c.userId === world.b.id)!;
    expect(ids(b)).toEqual([world.d.id]);
    expect(ids(b.children[0]!)).toEqual([world.e.id]);
  });

  it('without a campaignId, the tree is read in the campaign the user last took part in', async () => {
    const t = (await admin(`/users/${world.a.id}/invites`)).json() as InviteTree;
    expect(t).toMatchObject({ campaignId: world.campaignId, depth: 3, size: 4 });
    expect((await admin('/users/00000000-0000-4000-8000-000000000000/invites')).statusCode).toBe(404);
  });

  it('cut at depth 2, the tree says it was truncated', async () => {
    const t = (await admin(`/users/${world.a.id}/invites?campaignId=${world.campaignId}&depth=2`)).json() as InviteTree;
    expect(t).toMatchObject({ depth: 2, size: 3, truncated: true });
  });

  it('someone who brought nobody has an empty tree; an unknown user is a 404', async () => {
    expect((await admin(`/users/${world.e.id}/invites?campaignId=${world.campaignId}`)).json()).toMatchObject({ depth: 0, size: 0, truncated: false });
    expect((await admin(`/users/00000000-0000-4000-8000-000000000000/invites?campaignId=${world.campaignId}`)).statusCode).toBe(404);
  });

  it('top inviters: A (2), then B and D (1 each), paged by cursor and streamed as CSV', async () => {
    const first = (await admin(`/campaigns/${world.campaignId}/top-inviters?limit=2`)).json() as { items: TopInviter[]; nextCursor: string };
    expect(first.items.map((i) => [i.userId, i.invited])).toEqual([
      [world.a.id, 2],
      [[world.b.id, world.d.id].sort()[0], 1],
    ]);
    const second = (await admin(`/campaigns/${world.campaignId}/top-inviters?limit=2&cursor=${first.nextCursor}`)).json() as { items: TopInviter[]; nextCursor: null };
    expect(second.items.map((i) => [i.userId, i.invited])).toEqual([[[world.b.id, world.d.id].sort()[1], 1]]);
    expect(second.nextCursor).toBeNull();
    const csv = await admin(`/campaigns/${world.campaignId}/top-inviters`, { accept: 'text/csv' });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.trim().split('\r\n')).toHaveLength(4);
    expect(csv.body.split('\r\n')[0]).toBe('userId,nickname,invited');
  });

  it('K-factor per day: the four newcomers of 11-11 brought four people (K = 1), E of 11-12 nobody', async () => {
    const days = ((await admin(`/campaigns/${world.campaignId}/k-factor`)).json() as { items: KFactorDay[] }).items;
    expect(days).toEqual([
      { day: '2026-11-11', newParticipants: 4, invited: 4, kFactor: 1 },
      { day: '2026-11-12', newParticipants: 1, invited: 0, kFactor: 0 },
    ]);
  });
});

describe('retention', () => {
  it('the 11-11 cohort (A, B, C, D): B and D back on day 1, A and D on day 7; day 30 not come yet', async () => {
    const cohorts = ((await admin(`/campaigns/${world.campaignId}/retention`)).json() as { items: RetentionCohort[] }).items;
    expect(cohorts).toEqual([
      { day: '2026-11-11', users: 4, day1: 2, day7: 2, day30: null, day1Rate: 0.5, day7Rate: 0.5, day30Rate: null },
      { day: '2026-11-12', users: 1, day1: 0, day7: null, day30: null, day1Rate: 0, day7Rate: null, day30Rate: null },
    ]);
  });

  it('is still counted after the campaign ended: on day 30 nobody of 11-11 came back', async () => {
    ctx.clock.set(new Date(T0.getTime() + 40 * DAY));
    await refresh();
    const [first] = ((await admin(`/campaigns/${world.campaignId}/retention`)).json() as { items: RetentionCohort[] }).items;
    expect(first).toMatchObject({ day: '2026-11-11', day30: 0, day30Rate: 0 });
    ctx.clock.set(new Date(T0.getTime() + 7 * DAY));
  });
});

describe('hourly activity', () => {
  it('likes, new participants, cards and opens in the three hours anything happened', async () => {
    const res = await admin(`/campaigns/${world.campaignId}/hourly`);
    expect(res.statusCode, res.body).toBe(200);
    const h = (res.json() as { items: unknown[] }).items;
    expect(h).toEqual([
      { hour: '2026-11-11T04:00:00.000Z', likes: 3, newParticipants: 4, shares: 2, opens: 4, posterOpens: 1, momentsOpens: 0 },
      { hour: '2026-11-12T04:00:00.000Z', likes: 2, newParticipants: 1, shares: 1, opens: 2, posterOpens: 1, momentsOpens: 1 },
      { hour: '2026-11-18T04:00:00.000Z', likes: 1, newParticipants: 0, shares: 0, opens: 1, posterOpens: 0, momentsOpens: 1 },
    ]);
  });
});
