import type { Group, LedgerResponse, ShareLanding } from '@jizan/shared';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { invitations, orders } from '../../../src/db/schema/index.js';
import { findGroupBuyDrift } from '../../../src/modules/groupbuy/groupbuy.service.js';
import { receiveNotification } from '../../../src/modules/groupbuy/payments.service.js';
import { creditGroupJoin, findDrift } from '../../../src/modules/ledger/ledger.service.js';
import { joinThroughShare } from '../../../src/modules/shares/shares.service.js';
import { campaign, createTeam, errorCode, login, testApp, type Client } from '../../helper.js';
import { awaitingPayment, deps, notifyPaid, open, platformNotification, product } from '../groupbuy/fixtures.js';
import { NO_IDEMPOTENCY } from '../../../src/modules/idempotency/idempotency.service.js';

const ctx = testApp();

async function groupCard(client: Client, campaignId: string, groupId: string) {
  const res = await client.post('/v1/shares', { campaignId, kind: 'groupbuy', groupId });
  if (res.statusCode !== 201) throw new Error(`share failed: ${res.body}`);
  return res.json() as { token: string; path: string; title: string };
}

async function ledgerOf(client: Client, campaignId: string): Promise<LedgerResponse> {
  return (await client.get(`/v1/me/ledger?campaignId=${campaignId}`)).json() as LedgerResponse;
}

describe('group-buy share cards', () => {
  it('names the product and the seats still missing, and only a member may send one', async () => {
    const c = await campaign(ctx);
    const p = await product(ctx, { campaignId: c.id, title: '保温杯' });
    const alice = await login(ctx);
    await alice.call({ method: 'PATCH', url: '/v1/me', payload: { nickname: '阿丽' } });
    const g = await open(alice, p.id);
    const card = await groupCard(alice, c.id, g.id);
    expect(card.path).toBe(`/pages/share/index?token=${card.token}`);
    expect(card.title).toContain('保温杯');
    expect(card.title).toContain('还差 2 人');
    expect(card.title).toContain('阿丽');

    const stranger = await login(ctx);
    expect(errorCode(await stranger.post('/v1/shares', { campaignId: c.id, kind: 'groupbuy', groupId: g.id }))).toBe('NOT_IN_GROUP');
    expect(errorCode(await alice.post('/v1/shares', { campaignId: c.id, kind: 'groupbuy' }))).toBe('VALIDATION_FAILED');
    const other = await campaign(ctx);
    expect(errorCode(await alice.post('/v1/shares', { campaignId: other.id, kind: 'groupbuy', groupId: g.id }))).toBe('GROUP_NOT_FOUND');
  });

  it('lands on the group: product, prices, members, seats left, countdown and whether the viewer can join', async () => {
    const c = await campaign(ctx);
    const p = await product(ctx, { campaignId: c.id, title: '坚果', price: 3990, groupPrice: 2490, groupSize: 2 });
    const alice = await login(ctx);
    const g = await open(alice, p.id);
    const { token } = await groupCard(alice, c.id, g.id);

    const anonymous = (await ctx.app.inject({ method: 'GET', url: `/v1/shares/${token}` })).json() as ShareLanding;
    expect(anonymous.kind).toBe('groupbuy');
    expect(anonymous.groupBuy!.product).toMatchObject({ id: p.id, title: '坚果', price: 3990, groupPrice: 2490, groupSize: 2 });
    expect(anonymous.groupBuy!.group).toMatchObject({ id: g.id, status: 'open', seatsLeft: 1, expiresAt: g.expiresAt, myOrder: null });
    expect(anonymous.groupBuy!.group.members.map((m) => m.id)).toEqual([alice.id]);
    expect(anonymous.viewer).toMatchObject({ authenticated: false, canJoin: false, joinBlockedBy: 'UNAUTHENTICATED' });

    const bob = await login(ctx);
    expect(((await bob.get(`/v1/shares/${token}`)).json() as ShareLanding).viewer).toMatchObject({ canJoin: true, joinBlockedBy: null });
    expect(((await alice.get(`/v1/shares/${token}`)).json() as ShareLanding).viewer).toMatchObject({ isSharer: true, canJoin: false, joinBlockedBy: 'ALREADY_IN_GROUP' });

    const joined = await bob.post(`/v1/shares/${token}/join`);
    expect(joined.statusCode).toBe(200);
    expect((joined.json() as Group).status).toBe('succeeded');
    const carol = await login(ctx);
    const after = (await carol.get(`/v1/shares/${token}`)).json() as ShareLanding;
    expect(after.groupBuy!.group).toMatchObject({ status: 'succeeded', seatsLeft: 0 });
    expect(after.viewer).toMatchObject({ canJoin: false, joinBlockedBy: 'GROUP_FULL' });
    expect(errorCode(await carol.post(`/v1/shares/${token}/join`))).toBe('GROUP_FULL');
  });

  it('seats the friend at the group price, the order remembering the card, and credits the sharer and team once', async () => {
    const c = await campaign(ctx, { rules: { groupJoinEnergy: 25 } });
    const p = await product(ctx, { campaignId: c.id, groupSize: 3 });
    const alice = await login(ctx);
    const team = await createTeam(alice, c.id, '拼团队');
    const g = await open(alice, p.id);
    const { token } = await groupCard(alice, c.id, g.id);

    const bob = await login(ctx);
    const res = await bob.post(`/v1/shares/${token}/join`, undefined, { 'idempotency-key': 'card-join-1' });
    expect(res.statusCode).toBe(200);
    const group = res.json() as Group;
    expect(group).toMatchObject({ id: g.id, status: 'open', seatsLeft: 1 });
    expect(group.myOrder).toMatchObject({ status: 'paid', amount: 1990 });
    const [order] = await ctx.database.db.select().from(orders).where(eq(orders.id, group.myOrder!.id));
    expect(order!.shareId).not.toBeNull();

    const replay = await bob.post(`/v1/shares/${token}/join`, undefined, { 'idempotency-key': 'card-join-1' });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect((replay.json() as Group).myOrder!.id).toBe(group.myOrder!.id);
    // The key is bound to the whole request: another card with the same key is refused.
    const otherCard = await groupCard(alice, c.id, g.id);
    expect(errorCode(await bob.post(`/v1/shares/${otherCard.token}/join`, undefined, { 'idempotency-key': 'card-join-1' }))).toBe(
      'IDEMPOTENCY_KEY_REUSED',
    );

    const ledger = await ledgerOf(alice, c.id);
    expect(ledger.balance).toBe(25);
    expect(ledger.entries).toEqual([expect.objectContaining({ amount: 25, reason: 'group_join', from: expect.objectContaining({ id: bob.id }) })]);
    expect(((await alice.get(`/v1/teams/${team.id}`)).json() as { energy: number }).energy).toBe(25);

    // Joining from the product page (no card) credits nobody.
    const carol = await login(ctx);
    await carol.post(`/v1/groups/${g.id}/join`);
    expect((await ledgerOf(alice, c.id)).balance).toBe(25);
    expect(await findDrift(ctx.database.db)).toEqual([]);
    expect(await findGroupBuyDrift(ctx.database.db)).toEqual([]);
  });

  it('credits only once the friend paid, and a replayed payment notification credits nothing more', async () => {
    const c = await campaign(ctx);
    const p = await product(ctx, { campaignId: c.id, groupSize: 3 });
    const alice = await login(ctx);
    const g = await open(alice, p.id);
    const { token } = await groupCard(alice, c.id, g.id);
    const bob = await login(ctx);

    const d = awaitingPayment(deps(ctx));
    const joined = await joinThroughShare(
      { ...ctx.app.deps, groupBuy: d },
      { token, userId: bob.id, idempotency: NO_IDEMPOTENCY },
    );
    const group = joined.body as Group;
    expect(group.myOrder!.status).toBe('pending_payment');
    expect((await ledgerOf(alice, c.id)).balance).toBe(0);

    const note = await platformNotification(d, { orderId: group.myOrder!.id, amount: 1990, transactionId: '4200000101' });
    await receiveNotification(d, note);
    await receiveNotification(d, note);
    await notifyPaid(d, { orderId: group.myOrder!.id, amount: 1990, transactionId: '4200000102' });
    const ledger = await ledgerOf(alice, c.id);
    expect(ledger.balance).toBe(30);
    expect(ledger.entries).toHaveLength(1);
    expect(await findDrift(ctx.database.db)).toEqual([]);
  });

  it('credits once per friend per group however often the credit is asked for (unique per group and friend)', async () => {
    const c = await campaign(ctx);
    const p = await product(ctx, { campaignId: c.id });
    const alice = await login(ctx);
    const bob = await login(ctx);
    const g = await open(alice, p.id);
    const credit = { campaignId: c.id, sharerId: alice.id, groupId: g.id, joinerId: bob.id, energy: 30, at: ctx.clock.now() };
    const results = await ctx.database.db.transaction(async (tx) => [await creditGroupJoin(tx, credit), await creditGroupJoin(tx, credit)]);
    expect(results).toEqual([30, null]);
    expect(await ctx.database.db.transaction((tx) => creditGroupJoin(tx, credit))).toBeNull();
    expect((await ledgerOf(alice, c.id)).balance).toBe(30);
    expect(await findDrift(ctx.database.db)).toEqual([]);
  });

  it("records a newcomer's first open of a group-buy card as their invitation, like any card", async () => {
    const c = await campaign(ctx);
    const p = await product(ctx, { campaignId: c.id });
    const alice = await login(ctx);
    const g = await open(alice, p.id);
    const { token } = await groupCard(alice, c.id, g.id);
    const newcomer = await login(ctx);
    await newcomer.get(`/v1/shares/${token}`);
    const edges = await ctx.database.db.select().from(invitations).where(eq(invitations.inviteeId, newcomer.id));
    expect(edges).toEqual([expect.objectContaining({ campaignId: c.id, inviterId: alice.id })]);
  });
});
