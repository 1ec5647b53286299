import type { MySubscriptionsResponse, Notification } from '@jizan/shared';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../../src/db/client.js';
import { expireDue } from '../../../src/modules/groupbuy/groupbuy.jobs.js';
import { writeMessages } from '../../../src/modules/notifications/notifications.service.js';
import { batchLikes, remindDueGroups, type ProducerDeps } from '../../../src/modules/notifications/producers.service.js';
import { sendDue, wechatSubscribeSend, type SenderDeps } from '../../../src/modules/notifications/sender.service.js';
import { openidOf } from '../../../src/modules/users/users.service.js';
import { subscribeState } from '../../../src/sim/wechat/subscribe.js';
import { campaign, login, share, testApp, testConfig, unique, type Client } from '../../helper.js';
import { deps as groupBuyDeps, join, open, product, settleEarlierTests } from '../groupbuy/fixtures.js';

const ctx = testApp();
const MIN = 60_000;
const HOUR = 60 * MIN;
const config = testConfig();

const sim = () => ctx.app.wechat!.sim!;
const sent = () => subscribeState(sim()).sent;
const senderDeps = (): SenderDeps => ({ db: ctx.database.db, clock: ctx.clock, subscribe: config.subscribe, send: wechatSubscribeSend(ctx.app.wechat!.client) });
const producers = (): ProducerDeps => ({ db: ctx.database.db, clock: ctx.clock, reminderLeadMinutes: 60, likeBatchMinutes: 30 });

async function subscriptions(c: Client): Promise<MySubscriptionsResponse> {
  return (await c.get('/v1/me/subscriptions')).json() as MySubscriptionsResponse;
}

/** The user accepts these of our templates in the mini-program's sheet (and rejects the moment's others). */
async function accept(c: Client, keys: string[], key = unique('k')) {
  const subs = await subscriptions(c);
  const result: Record<string, string> = { errMsg: 'requestSubscribeMessage:ok' };
  for (const t of subs.templates) result[t.templateId] = keys.includes(t.key) ? 'accept' : 'reject';
  const res = await c.post('/v1/me/subscriptions', result, { 'idempotency-key': key });
  expect(res.statusCode).toBe(200);
  return res.json() as MySubscriptionsResponse;
}

const creditsOf = async (c: Client, key: string) => (await subscriptions(c)).templates.find((t) => t.key === key)!.credits;
const inbox = async (c: Client) => (await c.get('/v1/me/notifications')).json() as { notifications: Notification[]; unread: number };
const sentTo = async (c: Client) => {
  const openid = await openidOf(ctx.database.db, c.id);
  return sent().filter((m) => m.touser === openid);
};
const deliveryOf = async (c: Client) =>
  rows<{ kind: string; delivery: string; delivery_attempts: number }>(
    ctx.database.db,
    sql`select kind, delivery, delivery_attempts from notifications where user_id = ${c.id} order by id`,
  );

describe('subscriptions: the contract the mini-program asks with', () => {
  it('lists each template with its platform id and my credits, and at most 3 ids per moment', async () => {
    const me = await login(ctx);
    const subs = await subscriptions(me);
    expect(subs.templates.map((t) => t.key).sort()).toEqual(
      ['campaign_again', 'friend_liked', 'group_failed', 'group_reminder', 'group_succeeded', 'reward_ready', 'transfer_confirm'],
    );
    expect(subs.templates.every((t) => t.credits === 0)).toBe(true);
    const idOf = (k: string) => subs.templates.find((t) => t.key === k)!.templateId;
    expect(subs.moments.after_group).toEqual([idOf('group_succeeded'), idOf('group_failed'), idOf('group_reminder')]);
    expect(subs.moments.after_like).toEqual([idOf('friend_liked'), idOf('campaign_again')]);
    for (const ids of Object.values(subs.moments)) expect(ids.length).toBeLessThanOrEqual(3);
  });

  it('counts one credit per accepted template, none for reject/ban/filter, once per Idempotency-Key', async () => {
    const me = await login(ctx);
    const subs = await subscriptions(me);
    const idOf = (k: string) => subs.templates.find((t) => t.key === k)!.templateId;
    const result = {
      errMsg: 'requestSubscribeMessage:ok',
      [idOf('group_succeeded')]: 'accept',
      [idOf('group_failed')]: 'reject',
      [idOf('group_reminder')]: 'ban',
      [idOf('friend_liked')]: 'filter',
      'someone-elses-template': 'accept',
    };
    const first = await me.post('/v1/me/subscriptions', result, { 'idempotency-key': 'sub-1' });
    expect(first.statusCode).toBe(200);
    const again = await me.post('/v1/me/subscriptions', result, { 'idempotency-key': 'sub-1' });
    expect(again.headers['idempotent-replayed']).toBe('true');
    const credits = Object.fromEntries((await subscriptions(me)).templates.map((t) => [t.key, t.credits]));
    expect(credits).toMatchObject({ group_succeeded: 1, group_failed: 0, group_reminder: 0, friend_liked: 0 });
    await me.post('/v1/me/subscriptions', result, { 'idempotency-key': 'sub-2' });
    expect(await creditsOf(me, 'group_succeeded')).toBe(2);
  });

  it('refuses an answer that is not one the platform gives', async () => {
    const me = await login(ctx);
    const res = await me.post('/v1/me/subscriptions', { 'sim-group-succeeded': 'yes please' });
    expect(res.statusCode).toBe(400);
  });
});

describe('group filled and group failed', () => {
  it('group filled: both members get 拼团成功 in the inbox; the subscriber gets one message, the other stays inbox-only', async () => {
    await settleEarlierTests(ctx);
    await sendDue(senderDeps());
    const [a, b] = [await login(ctx), await login(ctx)];
    await accept(a, ['group_succeeded']);
    const p = await product(ctx, { groupSize: 2, title: '双11 限定保温杯 500ml 超长的名字一直写下去直到超过二十个字' });
    const g = await open(a, p.id);
    await join(b, g.id);

    for (const c of [a, b]) {
      const box = await inbox(c);
      expect(box.unread).toBe(1);
      expect(box.notifications).toEqual([expect.objectContaining({ kind: 'group_succeeded', title: '拼团成功', groupId: g.id, readAt: null })]);
      expect(box.notifications[0]!.page).toBe(`/subpackages/groupbuy/group/index?id=${g.id}`);
    }
    expect(await sendDue(senderDeps())).toBe(2);
    expect(await sendDue(senderDeps())).toBe(0);

    const toA = await sentTo(a);
    expect(toA).toHaveLength(1);
    expect(toA[0]).toMatchObject({ templateId: 'sim-group-succeeded', page: `subpackages/groupbuy/group/index?id=${g.id}` });
    // A product name past the thing field's 20 characters is cut, not refused by the platform (47003).
    expect([...toA[0]!.data.thing1!]).toHaveLength(20);
    expect(toA[0]!.data.thing1!.endsWith('…')).toBe(true);
    expect(toA[0]!.data).toMatchObject({ number2: '2', amount3: '19.90元', phrase4: '拼团成功' });
    expect(await sentTo(b)).toHaveLength(0);
    expect(await deliveryOf(a)).toEqual([{ kind: 'group_succeeded', delivery: 'sent', delivery_attempts: 1 }]);
    expect(await deliveryOf(b)).toEqual([{ kind: 'group_succeeded', delivery: 'inbox', delivery_attempts: 1 }]);
    expect(await creditsOf(a, 'group_succeeded')).toBe(0);
  });

  it('group failed: the members hear it failed and was refunded, once however often expiry runs', async () => {
    await settleEarlierTests(ctx);
    const [a, b] = [await login(ctx), await login(ctx)];
    await accept(a, ['group_failed']);
    await accept(b, ['group_failed']);
    const p = await product(ctx, { groupSize: 3 });
    const g = await open(a, p.id);
    await join(b, g.id);
    ctx.clock.advance(24 * HOUR);
    const d = groupBuyDeps(ctx);
    expect(await expireDue(d)).toBe(1);
    await expireDue(d);
    await sendDue(senderDeps());
    await sendDue(senderDeps());
    for (const c of [a, b]) {
      const box = await inbox(c);
      expect(box.notifications.filter((n) => n.kind === 'group_failed')).toEqual([
        expect.objectContaining({ title: '拼团未成功，已退款', groupId: g.id }),
      ]);
      const msgs = await sentTo(c);
      expect(msgs).toHaveLength(1);
      expect(msgs[0]).toMatchObject({ templateId: 'sim-group-failed', data: expect.objectContaining({ amount2: '19.90元', phrase3: '拼团失败' }) });
    }
  });
});

describe('还差 N 人: the reminder before a group ends', () => {
  it('fires once per group at the lead time, and not for a group that filled', async () => {
    await settleEarlierTests(ctx);
    const [a, b, c] = [await login(ctx), await login(ctx), await login(ctx)];
    await accept(a, ['group_reminder']);
    const p = await product(ctx, { groupSize: 3 });
    const g = await open(a, p.id);
    await join(b, g.id);
    const full = await open(c, (await product(ctx, { groupSize: 2 })).id);
    await join(await login(ctx), full.id);

    ctx.clock.advance(23 * HOUR - 1000);
    expect(await remindDueGroups(producers())).toBe(0);
    ctx.clock.advance(1000);
    expect(await remindDueGroups(producers())).toBe(2); // a and b
    expect(await remindDueGroups(producers())).toBe(0);
    ctx.clock.advance(30 * MIN);
    expect(await remindDueGroups(producers())).toBe(0);

    const reminder = (await inbox(a)).notifications.find((n) => n.kind === 'group_reminder')!;
    expect(reminder).toMatchObject({ title: '还差 1 人成团', groupId: g.id });
    expect(reminder.body).toContain('60 分钟后结束');
    expect((await inbox(c)).notifications.some((n) => n.kind === 'group_reminder')).toBe(false);

    await sendDue(senderDeps());
    const msgs = await sentTo(a);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ templateId: 'sim-group-reminder', data: expect.objectContaining({ number2: '1' }) });
  });

  it('a short group is reminded at half its window, never the moment it opens', async () => {
    await settleEarlierTests(ctx);
    const a = await login(ctx);
    const g = await open(a, (await product(ctx, { groupSize: 2, groupWindowSeconds: 600 })).id);
    ctx.clock.advance(5 * MIN - 1000);
    await remindDueGroups(producers());
    expect((await inbox(a)).notifications.some((n) => n.kind === 'group_reminder')).toBe(false);
    ctx.clock.advance(1000);
    await remindDueGroups(producers());
    const reminder = (await inbox(a)).notifications.find((n) => n.kind === 'group_reminder');
    expect(reminder).toMatchObject({ groupId: g.id, title: '还差 1 人成团' });
    expect(reminder!.body).toContain('5 分钟后结束');
  });
});

describe('your friends liked you, batched', () => {
  it('one message per sharer per window, however many liked', async () => {
    const c = await campaign(ctx, { name: '双11 集赞' });
    ctx.clock.set(new Date(Math.ceil(ctx.clock.now().getTime() / (30 * MIN)) * 30 * MIN + MIN));
    await batchLikes(producers());
    const sharer = await login(ctx);
    await accept(sharer, ['friend_liked']);
    const card = await share(sharer, c.id);
    const friends = [await login(ctx), await login(ctx), await login(ctx)];
    for (const f of friends) expect((await f.post(`/v1/shares/${card}/like`)).statusCode).toBe(200);

    expect(await batchLikes(producers())).toBe(0); // the window is still open
    ctx.clock.advance(30 * MIN);
    expect(await batchLikes(producers())).toBe(1);
    expect(await batchLikes(producers())).toBe(0);

    const liked = (await inbox(sharer)).notifications.filter((n) => n.kind === 'friend_liked');
    expect(liked).toHaveLength(1);
    expect(liked[0]!.title).toBe(`${friends[2]!.nickname} 等 3 位好友为你点赞`);
    await sendDue(senderDeps());
    expect(await sentTo(sharer)).toEqual([expect.objectContaining({ templateId: 'sim-friend-liked', data: expect.objectContaining({ number3: '3' }) })]);
  });
});

describe('credits, refusals and the platform down', () => {
  const tell = async (c: Client, n: number) =>
    ctx.database.db.transaction((tx) =>
      writeMessages(
        Array.from({ length: n }, (_, i) => ({ userId: c.id, kind: 'campaign_again' as const, dedupeKey: unique(`t${i}`), facts: { campaign: '集赞', startsAt: '2026-12-12 00:00', endsAt: '2026-12-13 00:00' } })),
        ctx.clock.now(),
        tx,
      ),
    );

  it('accept 2 → two sends, the third message inbox-only; reject → none', async () => {
    const [me, other] = [await login(ctx), await login(ctx)];
    await accept(me, ['campaign_again']);
    await accept(me, ['campaign_again']);
    await accept(other, []);
    await tell(me, 3);
    await tell(other, 1);
    await sendDue(senderDeps());
    expect(await sentTo(me)).toHaveLength(2);
    expect((await deliveryOf(me)).map((d) => d.delivery)).toEqual(['sent', 'sent', 'inbox']);
    expect(await creditsOf(me, 'campaign_again')).toBe(0);
    expect(await sentTo(other)).toHaveLength(0);
    expect((await deliveryOf(other)).map((d) => d.delivery)).toEqual(['inbox']);
    expect((await inbox(me)).unread).toBe(3);
  });

  it('the platform down: the message waits with backoff and goes out once it is back', async () => {
    const me = await login(ctx);
    await accept(me, ['campaign_again']);
    await sendDue(senderDeps());
    sim().fail({ kind: 'down', path: '/cgi-bin/message/subscribe/send', times: Infinity });
    await tell(me, 1);
    await sendDue(senderDeps());
    expect(await deliveryOf(me)).toEqual([{ kind: 'campaign_again', delivery: 'pending', delivery_attempts: 1 }]);
    expect(await sendDue(senderDeps())).toBe(0); // backing off
    sim().clearFaults();
    sim().fail({ kind: 'status', status: 502, path: '/cgi-bin/message/subscribe/send' });
    ctx.clock.advance(30_000);
    await sendDue(senderDeps());
    expect(await deliveryOf(me)).toEqual([{ kind: 'campaign_again', delivery: 'pending', delivery_attempts: 2 }]);
    ctx.clock.advance(60_000);
    await sendDue(senderDeps());
    expect(await deliveryOf(me)).toEqual([{ kind: 'campaign_again', delivery: 'sent', delivery_attempts: 3 }]);
    expect(await sentTo(me)).toHaveLength(1);
    expect(await creditsOf(me, 'campaign_again')).toBe(0);
  });

  it('43101 (the user refused on the platform) marks it refused and spends the credit; our template refused keeps it', async () => {
    const me = await login(ctx);
    await accept(me, ['campaign_again']);
    await accept(me, ['campaign_again']);
    await sendDue(senderDeps());
    subscribeState(sim()).refusing.add(await openidOf(ctx.database.db, me.id));
    await tell(me, 1);
    await sendDue(senderDeps());
    subscribeState(sim()).refusing.clear();
    expect((await deliveryOf(me)).map((d) => d.delivery)).toEqual(['refused']);
    expect(await creditsOf(me, 'campaign_again')).toBe(1);

    sim().fail({ kind: 'errcode', errcode: 47003, errmsg: 'argument invalid!', path: '/cgi-bin/message/subscribe/send' });
    await tell(me, 1);
    await sendDue(senderDeps());
    expect((await deliveryOf(me)).map((d) => d.delivery)).toEqual(['refused', 'refused']);
    expect(await creditsOf(me, 'campaign_again')).toBe(1);
  });

  it('without a platform every message stays in the inbox', async () => {
    const me = await login(ctx);
    await accept(me, ['campaign_again']);
    await sendDue(senderDeps());
    await tell(me, 1);
    await sendDue({ ...senderDeps(), send: null });
    expect((await deliveryOf(me)).map((d) => d.delivery)).toEqual(['inbox']);
    expect(await creditsOf(me, 'campaign_again')).toBe(1);
  });
});

describe('the inbox', () => {
  it('marks the listed ones read, then all; another user’s ids change nothing', async () => {
    const [me, other] = [await login(ctx), await login(ctx)];
    for (const c of [me, other])
      await ctx.database.db.transaction((tx) =>
        writeMessages(
          [1, 2, 3].map((i) => ({ userId: c.id, kind: 'campaign_again' as const, dedupeKey: `inbox-${i}`, facts: { campaign: '集赞', startsAt: 'x' } })),
          ctx.clock.now(),
          tx,
        ),
      );
    const mine = (await inbox(me)).notifications;
    const theirs = (await inbox(other)).notifications;
    expect((await me.post('/v1/me/notifications/read', { ids: [mine[0]!.id, theirs[0]!.id] })).json()).toEqual({ unread: 2 });
    expect((await inbox(other)).unread).toBe(3);
    expect((await inbox(me)).notifications[0]!.readAt).not.toBeNull();
    expect((await me.post('/v1/me/notifications/read', { all: true })).json()).toEqual({ unread: 0 });
    expect((await me.post('/v1/me/notifications/read', {})).statusCode).toBe(400);
  });

  it('an event told twice writes its message once', async () => {
    const me = await login(ctx);
    const event = { userId: me.id, kind: 'campaign_again' as const, dedupeKey: 'twice', facts: { campaign: '集赞', startsAt: 'x' } };
    const write = () => ctx.database.db.transaction((tx) => writeMessages([event], ctx.clock.now(), tx));
    expect(await write()).toBe(1);
    expect(await write()).toBe(0);
    expect((await inbox(me)).notifications).toHaveLength(1);
  });

  it('leaves the outbox rows older than the sender (no template) in the inbox, unsent', async () => {
    const me = await login(ctx);
    await accept(me, ['group_succeeded']);
    await ctx.database.db.execute(
      sql`insert into notifications (user_id, kind, title, payload, delivery, next_delivery_at, created_at)
          values (${me.id}, 'group_succeeded', '拼团成功，商品即将发货', '{}'::jsonb, 'pending', ${ctx.clock.now()}, ${ctx.clock.now()})`,
    );
    await sendDue(senderDeps());
    expect(await sentTo(me)).toHaveLength(0);
    expect(await deliveryOf(me)).toEqual([{ kind: 'group_succeeded', delivery: 'pending', delivery_attempts: 0 }]);
    expect((await inbox(me)).notifications).toEqual([expect.objectContaining({ title: '拼团成功，商品即将发货', body: '' })]);
  });
});
