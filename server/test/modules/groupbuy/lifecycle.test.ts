import type { Group, Order } from '@jizan/shared';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { refundRequests } from '../../../src/db/schema/index.js';
import type { GroupBuyDeps } from '../../../src/modules/groupbuy/groupbuy.deps.js';
import { askDue, expireDue, refundDue } from '../../../src/modules/groupbuy/groupbuy.jobs.js';
import { findGroupBuyDrift } from '../../../src/modules/groupbuy/groupbuy.service.js';
import { joinGroup, openGroup } from '../../../src/modules/groupbuy/groups.service.js';
import { transitionsOf } from '../../../src/modules/groupbuy/orders.repository.js';
import { listStuckRefunds, refundAfterSale, retryStuckRefund } from '../../../src/modules/groupbuy/refunds.service.js';
import { errorCode, login, setup, testApp, type Client } from '../../helper.js';
import { awaitingPayment, deps, join, open, payAtPlatform, platformOf, product, settleEarlierTests } from './fixtures.js';
import { NO_IDEMPOTENCY } from '../../../src/modules/idempotency/idempotency.service.js';

const ctx = testApp();
const HOUR = 3600_000;
const noKey = NO_IDEMPOTENCY;

async function myOrder(client: Client): Promise<Order> {
  return ((await client.get('/v1/me/orders')).json().orders as Order[])[0]!;
}

async function groupOf(client: Client, id: string): Promise<Group> {
  return (await client.get(`/v1/groups/${id}`)).json() as Group;
}

async function stockOf(client: Client, productId: string): Promise<number> {
  return (await client.get(`/v1/products/${productId}`)).json().stock;
}

describe('a group whose window ends first', () => {
  it('fails, refunds every paid order exactly once, returns the stock and tells the members', async () => {
    await settleEarlierTests(ctx);
    const d = deps(ctx);
    const p = await product(ctx, { groupSize: 3, stock: 10 });
    const [a, b] = [await login(ctx), await login(ctx)];
    const g = await open(a, p.id);
    await join(b, g.id);
    expect(await stockOf(a, p.id)).toBe(8);

    ctx.clock.advance(24 * HOUR - 1);
    expect(await expireDue(d)).toBe(0);
    ctx.clock.advance(1);
    expect(await expireDue(d)).toBe(1);
    expect(await expireDue(d)).toBe(0);

    expect(await groupOf(a, g.id)).toMatchObject({ status: 'failed', seatsLeft: 0, realMembers: 2 });
    expect(await myOrder(a)).toMatchObject({ status: 'refunding', refund: { status: 'pending', attempts: 0 } });
    expect(await stockOf(a, p.id)).toBe(10);

    expect(await refundDue(d)).toBe(2);
    expect(await refundDue(d)).toBe(0);
    for (const member of [a, b]) {
      expect(await myOrder(member)).toMatchObject({ status: 'refunded', paidAmount: 1990, refundedAmount: 1990, refund: { status: 'succeeded', attempts: 1 } });
      const notes = (await member.get('/v1/me/notifications')).json().notifications;
      expect(notes).toEqual([expect.objectContaining({ kind: 'group_failed', groupId: g.id })]);
    }
    const history = await transitionsOf(ctx.database.db, (await myOrder(a)).id);
    expect(history.map((t) => `${t.fromStatus ?? '∅'}→${t.toStatus}`)).toEqual(['∅→pending_payment', 'pending_payment→paid', 'paid→refunding', 'refunding→refunded']);
    expect(history.every((t) => t.at instanceof Date)).toBe(true);
    expect(await findGroupBuyDrift(ctx.database.db)).toEqual([]);
  });

  it('does not succeed on an N-th payment notified after the window: the group fails and all are refunded', async () => {
    const d = awaitingPayment(deps(ctx));
    const p = await product(ctx, { groupSize: 2 });
    const [a, b] = [await login(ctx), await login(ctx)];
    const opened = await openGroup(d, { userId: a.id, productId: p.id, idempotency: noKey });
    await payAtPlatform(d, opened.body.myOrder!.id);
    const joined = await joinGroup(d, { userId: b.id, groupId: opened.body.id, idempotency: noKey });
    // B pays in time, but the platform's notification is held back until after the group's window.
    const sim = await platformOf(d);
    sim.notifier.faults.push('hold');
    await payAtPlatform(d, joined.body.myOrder!.id);
    ctx.clock.advance(24 * HOUR);
    await sim.notifier.releaseHeld();
    expect((await groupOf(a, opened.body.id)).status).toBe('open');
    await expireDue(d);
    await refundDue(d);
    expect(await groupOf(a, opened.body.id)).toMatchObject({ status: 'failed' });
    expect(await myOrder(b)).toMatchObject({ status: 'refunded', refundedAmount: 1990 });
  });
});

describe('virtual fill (模拟成团)', () => {
  it('fills the empty seats at expiry when enough real members paid, flagging them apart', async () => {
    const p = await product(ctx, { groupSize: 4, virtualFill: { minRealMembers: 2 } });
    const [a, b] = [await login(ctx), await login(ctx)];
    const g = await open(a, p.id);
    await join(b, g.id);
    ctx.clock.advance(24 * HOUR);
    await expireDue(deps(ctx));
    const filled = await groupOf(a, g.id);
    expect(filled).toMatchObject({ status: 'succeeded', seatsLeft: 0, realMembers: 2, virtualMembers: 2 });
    expect(filled.members.map((m) => m.virtual)).toEqual([false, false, true, true]);
    expect(filled.members.filter((m) => m.virtual).every((m) => m.id === null && m.paid)).toBe(true);
    expect(await myOrder(b)).toMatchObject({ status: 'grouped', refund: null });
    expect((await b.get('/v1/me/notifications')).json().notifications[0].kind).toBe('group_succeeded');
  });

  it('fails instead when fewer real members paid than the product asks', async () => {
    const p = await product(ctx, { groupSize: 4, virtualFill: { minRealMembers: 2 } });
    const a = await login(ctx);
    const g = await open(a, p.id);
    ctx.clock.advance(24 * HOUR);
    await expireDue(deps(ctx));
    expect(await groupOf(a, g.id)).toMatchObject({ status: 'failed', virtualMembers: 0 });
  });
});

describe('orders unpaid in time', () => {
  it('are closed on the platform, then cancelled with their seat and unit released; a paid one whose notification was lost is found', async () => {
    await settleEarlierTests(ctx);
    const d = awaitingPayment(deps(ctx));
    const sim = await platformOf(d);
    const p = await product(ctx, { groupSize: 4, stock: 5 });
    const [a, b, c] = [await login(ctx), await login(ctx), await login(ctx)];
    const opened = await openGroup(d, { userId: a.id, productId: p.id, idempotency: noKey });
    await payAtPlatform(d, opened.body.myOrder!.id);
    const joined = await joinGroup(d, { userId: b.id, groupId: opened.body.id, idempotency: noKey });
    expect(joined.body).toMatchObject({ seatsLeft: 2, myOrder: { status: 'pending_payment' } });
    const paidQuietly = await joinGroup(d, { userId: c.id, groupId: opened.body.id, idempotency: noKey });
    // C pays, and the platform's notification never comes.
    sim.notifier.faults.push('drop');
    await payAtPlatform(d, paidQuietly.body.myOrder!.id);
    expect(await stockOf(a, p.id)).toBe(2);

    ctx.clock.advance(15 * 60_000);
    expect(await expireDue(d)).toBe(1);
    expect(await groupOf(b, opened.body.id)).toMatchObject({ status: 'open', seatsLeft: 2, members: [{ id: a.id }, { id: c.id }], myOrder: { status: 'cancelled' } });
    expect(await myOrder(c)).toMatchObject({ status: 'paid', paidAmount: 1990 });
    expect(await stockOf(a, p.id)).toBe(3);
    // B's order is closed on the platform: its pay sheet can no longer take money.
    const closed = sim.ledger.transactions.get(joined.body.myOrder!.id.replace(/-/g, ''))!;
    expect(closed.state).toBe('CLOSED');
    expect((await sim.requestPayment(joined.body.myOrder!.payment!.params)).errMsg).toMatch(/fail/);
    // The seat was given up, so the same friend may take one again.
    expect((await b.post(`/v1/groups/${opened.body.id}/join`)).statusCode).toBe(200);
    expect(await findGroupBuyDrift(ctx.database.db)).toEqual([]);
  });

  it('refund a failed group end to end: PROCESSING at the platform, then REFUND.SUCCESS finishes it once', async () => {
    const d = awaitingPayment(deps(ctx), 'manual');
    const sim = await platformOf(d);
    const p = await product(ctx, { groupSize: 3 });
    const a = await login(ctx);
    const opened = await openGroup(d, { userId: a.id, productId: p.id, idempotency: noKey });
    await payAtPlatform(d, opened.body.myOrder!.id);
    ctx.clock.advance(24 * HOUR);
    await expireDue(d);
    await refundDue(d);
    expect(await myOrder(a)).toMatchObject({ status: 'refunding', refund: { status: 'pending' } });
    const [request] = await ctx.database.db.select().from(refundRequests).where(eq(refundRequests.orderId, opened.body.myOrder!.id));
    sim.notifier.faults.push('duplicate');
    const delivery = await sim.settleRefund(request!.id.replace(/-/g, ''), 'SUCCESS');
    expect(delivery?.acknowledged).toBe(true);
    expect(await myOrder(a)).toMatchObject({ status: 'refunded', refundedAmount: 1990, refund: { status: 'succeeded' } });
    await refundDue(d);
    expect(await findGroupBuyDrift(ctx.database.db)).toEqual([]);
  });

  it('are found paid by the payment query job when the notification is lost, before their deadline, once across two runners', async () => {
    const d = awaitingPayment(deps(ctx));
    const sim = await platformOf(d);
    const p = await product(ctx, { groupSize: 2, stock: 5 });
    const [a, b] = [await login(ctx), await login(ctx)];
    const opened = await openGroup(d, { userId: a.id, productId: p.id, idempotency: noKey });
    await payAtPlatform(d, opened.body.myOrder!.id);
    const joined = await joinGroup(d, { userId: b.id, groupId: opened.body.id, idempotency: noKey });
    // B pays; the server dies before its commit, or the notification is lost: either way none arrives.
    sim.notifier.faults.push('drop');
    await payAtPlatform(d, joined.body.myOrder!.id);
    expect(await myOrder(b)).toMatchObject({ status: 'pending_payment' });
    await askDue(d);
    expect(await myOrder(b)).toMatchObject({ status: 'pending_payment' }); // not asked before it is 30 s old
    ctx.clock.advance(31_000);
    const asked = await Promise.all([askDue(d), askDue(d)]);
    expect(asked.reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(1);
    expect(await myOrder(b)).toMatchObject({ status: 'grouped', paidAmount: 1990 });
    expect(await groupOf(a, opened.body.id)).toMatchObject({ status: 'succeeded' });
    expect(await findGroupBuyDrift(ctx.database.db)).toEqual([]);
  });

  it('stay payable while the platform cannot be asked, and are never guessed cancelled', async () => {
    const d = awaitingPayment(deps(ctx));
    const sim = await platformOf(d);
    const p = await product(ctx, { groupSize: 3, stock: 5 });
    const [a, b] = [await login(ctx), await login(ctx)];
    const opened = await openGroup(d, { userId: a.id, productId: p.id, idempotency: noKey });
    await payAtPlatform(d, opened.body.myOrder!.id);
    const joined = await joinGroup(d, { userId: b.id, groupId: opened.body.id, idempotency: noKey });
    ctx.clock.advance(15 * 60_000);
    sim.faults.push({ kind: 'status', status: 500, path: '/v3/pay/transactions/out-trade-no/', times: 1 });
    await expireDue(d);
    expect(await myOrder(b)).toMatchObject({ status: 'pending_payment' });
    await expireDue(d);
    expect(await myOrder(b)).toMatchObject({ status: 'cancelled' });
    expect(sim.ledger.transactions.get(joined.body.myOrder!.id.replace(/-/g, ''))!.state).toBe('CLOSED');
  });

  it('close a group whose opener never paid, with nothing to refund and nobody to message', async () => {
    const d = awaitingPayment(deps(ctx));
    const p = await product(ctx, { stock: 2 });
    const a = await login(ctx);
    const opened = await openGroup(d, { userId: a.id, productId: p.id, idempotency: noKey });
    expect(opened.body.expiresAt).toBe(opened.body.myOrder!.payDeadline);
    ctx.clock.advance(15 * 60_000);
    await expireDue(d);
    expect(await groupOf(a, opened.body.id)).toMatchObject({ status: 'failed', members: [] });
    expect(await myOrder(a)).toMatchObject({ status: 'cancelled', refund: null });
    expect(await stockOf(a, p.id)).toBe(2);
    expect((await a.get('/v1/me/notifications')).json().notifications).toEqual([]);
  });
});

describe('after-sale refunds', () => {
  it('refund one member of a succeeded group and the group view drops them', async () => {
    const d = deps(ctx);
    const p = await product(ctx, { groupSize: 3, stock: 3 });
    const [a, b, c] = [await login(ctx), await login(ctx), await login(ctx)];
    const g = await open(a, p.id);
    await join(b, g.id);
    await join(c, g.id);
    const refunded = await refundAfterSale(d, (await myOrder(b)).id);
    expect(refunded).toMatchObject({ status: 'refunding', refund: { status: 'pending' } });
    const view = await groupOf(a, g.id);
    expect(view).toMatchObject({ status: 'succeeded', realMembers: 2, seatsLeft: 0 });
    expect(view.members.map((m) => m.id)).toEqual([a.id, c.id]);
    expect((await groupOf(b, g.id)).myOrder).toMatchObject({ status: 'refunding' });
    expect(await stockOf(a, p.id)).toBe(1);
    await refundDue(d);
    expect(await myOrder(b)).toMatchObject({ status: 'refunded', refundedAmount: 1990 });
    expect(await myOrder(c)).toMatchObject({ status: 'grouped', refundedAmount: 0 });
    await expect(refundAfterSale(d, (await myOrder(b)).id)).rejects.toMatchObject({ code: 'ORDER_STATE_INVALID' });
    expect(await findGroupBuyDrift(ctx.database.db)).toEqual([]);
  });

  it('are refused for an order whose group has not succeeded', async () => {
    const p = await product(ctx);
    const a = await login(ctx);
    await open(a, p.id);
    await expect(refundAfterSale(deps(ctx), (await myOrder(a)).id)).rejects.toMatchObject({ code: 'ORDER_STATE_INVALID', statusCode: 409 });
  });
});

describe('refunds that keep failing', () => {
  it('retry with back-off, then stay visible as stuck until an operator sends them round again', async () => {
    await settleEarlierTests(ctx);
    const healthy = deps(ctx, { JIZAN_REFUND_MAX_ATTEMPTS: '3', JIZAN_REFUND_RETRY_SECONDS: '60' });
    let calls = 0;
    const failing: GroupBuyDeps = {
      ...healthy,
      payments: {
        ...healthy.payments,
        refund: async () => {
          calls += 1;
          if (calls === 1) throw new Error('connection reset');
          return { status: 'failed', error: 'insufficient merchant balance' };
        },
      },
    };
    const p = await product(ctx, { groupSize: 2 });
    const a = await login(ctx);
    const g = await open(a, p.id);
    ctx.clock.advance(24 * HOUR);
    await expireDue(failing);

    expect(await refundDue(failing)).toBe(1);
    expect(await myOrder(a)).toMatchObject({ status: 'refunding', refund: { status: 'pending', attempts: 1 } });
    expect(await refundDue(failing)).toBe(0); // not due before its back-off
    ctx.clock.advance(60_000);
    expect(await refundDue(failing)).toBe(1);
    ctx.clock.advance(120_000);
    expect(await refundDue(failing)).toBe(1);
    ctx.clock.advance(24 * HOUR);
    expect(await refundDue(failing)).toBe(0);

    const order = await myOrder(a);
    expect(order).toMatchObject({ status: 'refunding', refundedAmount: 0, refund: { status: 'stuck', attempts: 3 } });
    const stuck = await listStuckRefunds({ db: ctx.database.db });
    const mine = stuck.find((r) => r.orderId === order.id)!;
    expect(mine).toMatchObject({ lastError: 'insufficient merchant balance', reason: 'group_failed' });

    await retryStuckRefund(healthy, mine.id);
    expect(await refundDue(healthy)).toBe(1);
    expect(await myOrder(a)).toMatchObject({ status: 'refunded', refundedAmount: 1990, refund: { status: 'succeeded' } });
    expect((await groupOf(a, g.id)).status).toBe('failed');
    await expect(retryStuckRefund(healthy, mine.id)).rejects.toMatchObject({ code: 'ORDER_STATE_INVALID' });
  });
});

describe('jobs inside the API process', () => {
  it('close an expired group and refund it with nobody calling them', async () => {
    const live = await setup({ config: { JIZAN_JOBS_IN_PROCESS: 'on', JIZAN_JOBS_INTERVAL_MS: '20' } });
    try {
      const p = await product(live, { groupSize: 2 });
      const a = await login(live);
      const g = await open(a, p.id);
      live.clock.advance(24 * HOUR);
      let order: Order | undefined;
      for (let i = 0; i < 200 && order?.status !== 'refunded'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        order = ((await a.get('/v1/me/orders')).json().orders as Order[])[0];
      }
      expect(order).toMatchObject({ status: 'refunded', refundedAmount: 1990 });
      expect((await a.get(`/v1/groups/${g.id}`)).json().status).toBe('failed');
    } finally {
      await live.close();
    }
  });

  it('are off in tests unless switched on', async () => {
    const p = await product(ctx, { groupSize: 2 });
    const a = await login(ctx);
    const g = await open(a, p.id);
    ctx.clock.advance(24 * HOUR);
    await new Promise((r) => setTimeout(r, 100));
    expect((await a.get(`/v1/groups/${g.id}`)).json().status).toBe('open');
    expect(errorCode(await a.post(`/v1/groups/${g.id}/join`))).toBe('ALREADY_IN_GROUP');
  });
});
