import type { Notification } from '@jizan/shared';
import { describe, expect, it } from 'vitest';
import { writeMessages } from '../../../src/modules/notifications/notifications.service.js';
import { announceFollowOns } from '../../../src/modules/notifications/producers.service.js';
import { sendDue, wechatSubscribeSend, type SenderDeps } from '../../../src/modules/notifications/sender.service.js';
import { payoutsFor } from '../../../src/modules/redpackets/payouts.js';
import { settleCampaign } from '../../../src/modules/redpackets/settlement.service.js';
import { runTransfers } from '../../../src/modules/redpackets/transfers.service.js';
import { openidOf } from '../../../src/modules/users/users.service.js';
import { subscribeState } from '../../../src/sim/wechat/subscribe.js';
import { campaign, login, T0, testApp, testConfig, type Client } from '../../helper.js';
import { earn, settleDeps, teamWith } from '../redpackets/fixtures.js';

// Red packets and campaigns: the events whose messages come from the red-packet jobs and the campaigns.
const ADMIN_KEY = 'test-admin-key-0123456789';
const ctx = testApp({ config: { JIZAN_PAYMENT_PROVIDER: 'simulator', JIZAN_ADMIN_KEY: ADMIN_KEY } });
const HOUR = 3600_000;
const config = testConfig({ JIZAN_PAYMENT_PROVIDER: 'simulator' });
const senderDeps = (): SenderDeps => ({ db: ctx.database.db, clock: ctx.clock, subscribe: config.subscribe, send: wechatSubscribeSend(ctx.app.wechat!.client) });
const inbox = async (c: Client) => ((await c.get('/v1/me/notifications')).json() as { notifications: Notification[] }).notifications;
const sentTo = async (c: Client) => {
  const openid = await openidOf(ctx.database.db, c.id);
  return subscribeState(ctx.app.wechat!.sim!).sent.filter((m) => m.touser === openid);
};

async function accept(c: Client, key: string) {
  const subs = (await c.get('/v1/me/subscriptions')).json() as { templates: { key: string; templateId: string }[] };
  const id = subs.templates.find((t) => t.key === key)!.templateId;
  expect((await c.post('/v1/me/subscriptions', { errMsg: 'requestSubscribeMessage:ok', [id]: 'accept' })).statusCode).toBe(200);
}

describe('red packets', () => {
  it('a pool share awarded at settlement: 红包可以领取了, once however often settlement runs', async () => {
    ctx.clock.set(T0);
    const c = await campaign(ctx, { name: '双11 集赞', rules: { redPacketBudget: 100_000, prizePool: 1000, prizePoolMinTeamEnergy: 1 }, endsAt: new Date(T0.getTime() + HOUR) });
    const team = await teamWith(ctx, c.id, [1]);
    const captain = team.members[0]!;
    await accept(captain, 'reward_ready');
    ctx.clock.set(new Date(c.endsAt.getTime() + 5 * 60_000));
    await settleCampaign(settleDeps(ctx), c.id);
    await settleCampaign(settleDeps(ctx), c.id);
    const ready = (await inbox(captain)).filter((n) => n.kind === 'reward_ready');
    expect(ready).toEqual([expect.objectContaining({ title: '红包可以领取了', page: `/subpackages/redpackets/mine/index?campaignId=${c.id}` })]);
    expect(ready[0]!.body).toContain('10.00元');
    await sendDue(senderDeps());
    expect(await sentTo(captain)).toEqual([expect.objectContaining({ templateId: 'sim-reward-ready', data: expect.objectContaining({ thing1: '双11 集赞', amount2: '10.00元' }) })]);
  });

  it('a transfer waiting for the user: 请确认收款, once per transfer', async () => {
    ctx.clock.set(T0);
    const payouts = payoutsFor({ config, db: ctx.database.db, clock: ctx.clock });
    const c = await campaign(ctx, { rules: { redPacketTiers: [{ energy: 20, amount: 188 }], redPacketBudget: 10_000 } });
    const me = await login(ctx);
    await accept(me, 'transfer_confirm');
    await earn(ctx, me, c.id, 1);
    expect((await me.post('/v1/redpackets/claim', { campaignId: c.id, tier: 1 })).statusCode).toBe(201);
    ctx.clock.set(new Date(T0.getTime() + 31 * 60_000));
    expect((await runTransfers(payouts)).started).toBe(1);
    ctx.clock.advance(10 * 60_000);
    await runTransfers(payouts); // the poll sees it still waiting: no second message
    const confirm = (await inbox(me)).filter((n) => n.kind === 'transfer_confirm');
    expect(confirm).toEqual([expect.objectContaining({ title: '请确认收款' })]);
    expect(confirm[0]!.body).toContain('1.88元');
    await sendDue(senderDeps());
    expect(await sentTo(me)).toEqual([expect.objectContaining({ templateId: 'sim-transfer-confirm', data: expect.objectContaining({ amount2: '1.88元' }) })]);
  });
});

describe('the campaign starts again', () => {
  it('a campaign published after another ended is announced once to the earlier one’s participants', async () => {
    ctx.clock.set(new Date(T0.getTime() + 30 * 24 * HOUR));
    const now = ctx.clock.now();
    const before = await campaign(ctx, { startsAt: new Date(now.getTime() - 10 * 24 * HOUR), endsAt: new Date(now.getTime() - 9 * 24 * HOUR) });
    const earlier = await campaign(ctx, { name: '第一季', startsAt: new Date(now.getTime() - 3 * 24 * HOUR), endsAt: new Date(now.getTime() - HOUR) });
    const [sharer, outsider] = [await login(ctx), await login(ctx)];
    ctx.clock.set(new Date(now.getTime() - 2 * HOUR));
    await earn(ctx, sharer, earlier.id, 1);
    ctx.clock.set(now);
    await accept(sharer, 'campaign_again');
    await announceFollowOns({ db: ctx.database.db, clock: ctx.clock });
    const next = await campaign(ctx, { name: '第二季', startsAt: new Date(now.getTime() + HOUR), endsAt: new Date(now.getTime() + 5 * 24 * HOUR) });
    const told = await announceFollowOns({ db: ctx.database.db, clock: ctx.clock });
    expect(told).toBe(1); // the sharer: the friend who only liked never joined the campaign
    expect(await announceFollowOns({ db: ctx.database.db, clock: ctx.clock })).toBe(0);
    const again = (await inbox(sharer)).filter((n) => n.kind === 'campaign_again');
    expect(again).toEqual([expect.objectContaining({ title: '活动又开始了', page: `/pages/home/index?campaignId=${next.id}` })]);
    expect(again[0]!.body).toContain('第二季');
    expect((await inbox(outsider)).some((n) => n.kind === 'campaign_again')).toBe(false);
    await sendDue(senderDeps());
    expect(await sentTo(sharer)).toEqual([expect.objectContaining({ templateId: 'sim-campaign-again', data: expect.objectContaining({ thing1: '第二季' }) })]);
    void before;
  });
});

describe('operators', () => {
  it('see per template what was sent, delivered, refused and kept inbox-only', async () => {
    const admin = (url: string) => ctx.app.inject({ method: 'GET', url: `/admin/v1${url}`, headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    const before = (await admin('/messages')).json() as { templates: { key: string; sent: number; delivered: number; refused: number; inboxOnly: number }[] };
    const row = (s: typeof before, key: string) => s.templates.find((t) => t.key === key)!;
    const [yes, no, refuses] = [await login(ctx), await login(ctx), await login(ctx)];
    await accept(yes, 'campaign_again');
    await accept(refuses, 'campaign_again');
    subscribeState(ctx.app.wechat!.sim!).refusing.add(await openidOf(ctx.database.db, refuses.id));
    const facts = { campaign: '集赞', startsAt: '2026-12-12 00:00', endsAt: '2026-12-13 00:00' };
    await ctx.database.db.transaction((tx) =>
      writeMessages([yes, no, refuses].map((u) => ({ userId: u.id, kind: 'campaign_again' as const, dedupeKey: 'stats', facts })), ctx.clock.now(), tx),
    );
    await sendDue(senderDeps());
    subscribeState(ctx.app.wechat!.sim!).refusing.clear();
    const after = (await admin('/messages')).json() as typeof before;
    const [b, a] = [row(before, 'campaign_again'), row(after, 'campaign_again')];
    expect({ sent: a.sent - b.sent, delivered: a.delivered - b.delivered, refused: a.refused - b.refused, inboxOnly: a.inboxOnly - b.inboxOnly }).toEqual({
      sent: 2,
      delivered: 1,
      refused: 1,
      inboxOnly: 1,
    });
    expect(row(after, 'campaign_again')).toMatchObject({ templateId: 'sim-campaign-again' });
    expect((await ctx.app.inject({ method: 'GET', url: '/admin/v1/messages' })).statusCode).toBe(401);
  });
});
