import { WECHATPAY_NOTIFY_PATH, type Group, type Order } from '@jizan/shared';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { paymentAnomalies, products } from '../../../src/db/schema/index.js';
import { findGroupBuyDrift } from '../../../src/modules/groupbuy/groupbuy.service.js';
import { joinGroup, openGroup } from '../../../src/modules/groupbuy/groups.service.js';
import { payOrder } from '../../../src/modules/groupbuy/payments.service.js';
import { campaign, errorCode, login, setup, testApp, unique } from '../../helper.js';
import { awaitingPayment, deps, join, open, payAtPlatform, platformNotification, platformOf, product } from './fixtures.js';
import { NO_IDEMPOTENCY } from '../../../src/modules/idempotency/idempotency.service.js';

const ctx = testApp();
const HOUR = 3600_000;

describe('products', () => {
  it("lists a campaign's products with the fields clients rely on", async () => {
    const c = await campaign(ctx);
    const p = await product(ctx, { campaignId: c.id, title: '蜂蜜 500g', images: ['https://img.example/1.jpg'] });
    const other = await product(ctx);
    const me = await login(ctx);
    const res = await me.get(`/v1/products?campaignId=${c.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().products).toEqual([
      {
        id: p.id,
        campaignId: c.id,
        title: '蜂蜜 500g',
        images: ['https://img.example/1.jpg'],
        price: 2990,
        groupPrice: 1990,
        groupSize: 3,
        groupWindowSeconds: 24 * 3600,
        stock: 100,
        perUserLimit: 1,
      },
    ]);
    expect(res.json().products.map((x: { id: string }) => x.id)).not.toContain(other.id);
  });

  it('answers CAMPAIGN_NOT_FOUND, PRODUCT_NOT_FOUND and VALIDATION_FAILED for bad lookups', async () => {
    const me = await login(ctx);
    const none = '00000000-0000-4000-8000-000000000000';
    expect(errorCode(await me.get(`/v1/products?campaignId=${none}`))).toBe('CAMPAIGN_NOT_FOUND');
    const missing = await me.get(`/v1/products/${none}`);
    expect([missing.statusCode, errorCode(missing)]).toEqual([404, 'PRODUCT_NOT_FOUND']);
    const bad = await me.get('/v1/products');
    expect([bad.statusCode, errorCode(bad)]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('shows open groups with seats left and their countdown, not full or closed ones', async () => {
    const p = await product(ctx, { groupSize: 3 });
    const [a, b, c, d] = [await login(ctx), await login(ctx), await login(ctx), await login(ctx)];
    const g1 = await open(a, p.id);
    ctx.clock.advance(60_000);
    const g2 = await open(b, p.id);
    await join(c, g2.id);
    await join(d, g2.id); // g2 succeeds: no longer joinable
    const detail = (await a.get(`/v1/products/${p.id}`)).json();
    expect(detail.openGroups).toEqual([
      { id: g1.id, opener: { id: a.id, nickname: a.nickname, avatarUrl: null }, seatsLeft: 2, expiresAt: g1.expiresAt },
    ]);
    expect(new Date(g1.expiresAt).getTime() - new Date(ctx.clock.now()).getTime()).toBe(24 * HOUR - 60_000);
    expect(detail.stock).toBe(100 - 4);
  });
});

describe('opening and joining', () => {
  it('opens a paid group in one call: the opener holds the first seat and a paid order at the group price', async () => {
    const p = await product(ctx, { groupSize: 3, stock: 5 });
    const opener = await login(ctx);
    const res = await opener.post('/v1/groups', { productId: p.id });
    expect(res.statusCode).toBe(201);
    const group = res.json() as Group;
    expect(group).toMatchObject({ productId: p.id, status: 'open', groupSize: 3, seatsLeft: 2, realMembers: 1, virtualMembers: 0 });
    expect(group.members).toEqual([expect.objectContaining({ id: opener.id, isOpener: true, virtual: false, paid: true })]);
    expect(group.myOrder).toMatchObject({ status: 'paid', amount: 1990, paidAmount: 1990, refundedAmount: 0, refund: null, groupId: group.id });
    expect(new Date(group.expiresAt).getTime()).toBe(ctx.clock.now().getTime() + 24 * HOUR);
    expect((await opener.get(`/v1/products/${p.id}`)).json().stock).toBe(4);
    expect((await opener.get(`/v1/groups/${group.id}`)).json()).toEqual(group);
  });

  it('succeeds at the N-th paid seat: every order goes to grouped and every member is told', async () => {
    const p = await product(ctx, { groupSize: 3 });
    const [a, b, c] = [await login(ctx), await login(ctx), await login(ctx)];
    const g = await open(a, p.id);
    const afterB = await join(b, g.id);
    expect(afterB).toMatchObject({ status: 'open', seatsLeft: 1, myOrder: { status: 'paid' } });
    const afterC = await join(c, g.id);
    expect(afterC).toMatchObject({ status: 'succeeded', seatsLeft: 0, realMembers: 3, myOrder: { status: 'grouped', amount: 1990 } });
    expect(afterC.closedAt).not.toBeNull();
    expect(afterC.members.map((m) => m.id)).toEqual([a.id, b.id, c.id]);
    for (const member of [a, b, c]) {
      const orders = (await member.get('/v1/me/orders')).json().orders as Order[];
      expect(orders[0]).toMatchObject({ groupId: g.id, status: 'grouped', productTitle: '拼团好物' });
      const notes = (await member.get('/v1/me/notifications')).json().notifications;
      expect(notes).toEqual([expect.objectContaining({ kind: 'group_succeeded', groupId: g.id })]);
    }
  });

  it('refuses joins with GROUP_FULL, ALREADY_IN_GROUP, GROUP_EXPIRED and GROUP_NOT_FOUND', async () => {
    const p = await product(ctx, { groupSize: 2 });
    const [a, b, late] = [await login(ctx), await login(ctx), await login(ctx)];
    const g = await open(a, p.id);
    const own = await a.post(`/v1/groups/${g.id}/join`);
    expect([own.statusCode, errorCode(own)]).toEqual([409, 'ALREADY_IN_GROUP']);
    await join(b, g.id);
    const again = await b.post(`/v1/groups/${g.id}/join`);
    expect(errorCode(again)).toBe('ALREADY_IN_GROUP');
    const full = await late.post(`/v1/groups/${g.id}/join`);
    expect([full.statusCode, errorCode(full)]).toEqual([409, 'GROUP_FULL']);

    const g2 = await open(late, (await product(ctx)).id);
    ctx.clock.advance(24 * HOUR);
    const expired = await b.post(`/v1/groups/${g2.id}/join`);
    expect([expired.statusCode, errorCode(expired)]).toEqual([409, 'GROUP_EXPIRED']);
    const missing = await b.post('/v1/groups/00000000-0000-4000-8000-000000000000/join');
    expect([missing.statusCode, errorCode(missing)]).toEqual([404, 'GROUP_NOT_FOUND']);
    expect(errorCode(await b.get('/v1/groups/00000000-0000-4000-8000-000000000000'))).toBe('GROUP_NOT_FOUND');
  });

  it('refuses orders with OUT_OF_STOCK and PURCHASE_LIMIT_REACHED, leaving stock where it was', async () => {
    const p = await product(ctx, { stock: 1, groupSize: 2 });
    const [a, b] = [await login(ctx), await login(ctx)];
    const g = await open(a, p.id);
    const sold = await b.post(`/v1/groups/${g.id}/join`);
    expect([sold.statusCode, errorCode(sold)]).toEqual([409, 'OUT_OF_STOCK']);
    expect((await b.get(`/v1/groups/${g.id}`)).json()).toMatchObject({ seatsLeft: 1, members: [{ id: a.id }] });

    const limited = await product(ctx, { perUserLimit: 2, stock: 10 });
    const buyer = await login(ctx);
    await open(buyer, limited.id);
    await open(buyer, limited.id);
    const third = await buyer.post('/v1/groups', { productId: limited.id });
    expect([third.statusCode, errorCode(third)]).toEqual([409, 'PURCHASE_LIMIT_REACHED']);
    expect((await buyer.get(`/v1/products/${limited.id}`)).json().stock).toBe(8);
  });

  it('refuses opening and joining outside the campaign window, and unknown products', async () => {
    const now = ctx.clock.now().getTime();
    const c = await campaign(ctx, { startsAt: new Date(now - 2 * HOUR), endsAt: new Date(now + HOUR) });
    const p = await product(ctx, { campaignId: c.id });
    const [a, b] = [await login(ctx), await login(ctx)];
    const g = await open(a, p.id);
    ctx.clock.advance(HOUR);
    const late = await b.post(`/v1/groups/${g.id}/join`);
    expect([late.statusCode, errorCode(late)]).toEqual([409, 'CAMPAIGN_NOT_ACTIVE']);
    expect(errorCode(await b.post('/v1/groups', { productId: p.id }))).toBe('CAMPAIGN_NOT_ACTIVE');
    const missing = await b.post('/v1/groups', { productId: '00000000-0000-4000-8000-000000000000' });
    expect([missing.statusCode, errorCode(missing)]).toEqual([404, 'PRODUCT_NOT_FOUND']);
    for (const body of [{}, { productId: 'nope' }, { productId: 12 }]) {
      expect(errorCode(await b.post('/v1/groups', body))).toBe('VALIDATION_FAILED');
    }
  });

  it('needs a login for every group-buy route', async () => {
    for (const [method, url] of [
      ['GET', '/v1/products?campaignId=00000000-0000-4000-8000-000000000000'],
      ['POST', '/v1/groups'],
      ['GET', '/v1/me/orders'],
    ] as const) {
      const res = await ctx.app.inject({ method, url, ...(method === 'POST' ? { payload: {} } : {}) });
      expect([res.statusCode, errorCode(res)]).toEqual([401, 'UNAUTHENTICATED']);
    }
  });

  it('opens a group waiting for payment with a real provider: pending until paid, and nobody may join it yet', async () => {
    const d = awaitingPayment(deps(ctx));
    const p = await product(ctx);
    const [opener, friend] = [await login(ctx), await login(ctx)];
    const out = await openGroup(d, { userId: opener.id, productId: p.id, idempotency: NO_IDEMPOTENCY });
    expect(out.body).toMatchObject({
      status: 'pending',
      seatsLeft: 0,
      myOrder: { status: 'pending_payment', payment: { provider: 'wechatpay', params: { package: expect.stringMatching(/^prepay_id=/), signType: 'RSA', paySign: expect.any(String) } } },
    });
    const blocked = await friend.post(`/v1/groups/${out.body.id}/join`);
    expect([blocked.statusCode, errorCode(blocked)]).toEqual([409, 'GROUP_NOT_OPEN']);
    const orders = (await opener.get('/v1/me/orders')).json().orders;
    expect(orders[0]).toMatchObject({ status: 'pending_payment', paidAmount: 0 });
    expect(orders[0].payment).toBeUndefined();
  });
});

describe('Idempotency-Key on opening and joining', () => {
  it('replays the same group for a retried open and places one order', async () => {
    const p = await product(ctx, { stock: 10 });
    const buyer = await login(ctx);
    const key = { 'idempotency-key': unique('open-') };
    const first = await buyer.post('/v1/groups', { productId: p.id }, key);
    const second = await buyer.post('/v1/groups', { productId: p.id }, key);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect((await buyer.get('/v1/me/orders')).json().orders).toHaveLength(1);
    expect((await buyer.get(`/v1/products/${p.id}`)).json().stock).toBe(9);
  });

  it('refuses the same key sent with another body or for another group', async () => {
    const [p1, p2] = [await product(ctx, { perUserLimit: 5 }), await product(ctx)];
    const buyer = await login(ctx);
    const key = { 'idempotency-key': unique('k-') };
    await buyer.post('/v1/groups', { productId: p1.id }, key);
    const other = await buyer.post('/v1/groups', { productId: p2.id }, key);
    expect([other.statusCode, errorCode(other)]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);

    const [o1, o2] = [await login(ctx), await login(ctx)];
    const [g1, g2] = [await open(o1, p1.id), await open(o2, p1.id)];
    const joinKey = { 'idempotency-key': unique('j-') };
    const joiner = await login(ctx);
    expect((await joiner.post(`/v1/groups/${g1.id}/join`, undefined, joinKey)).statusCode).toBe(200);
    const elsewhere = await joiner.post(`/v1/groups/${g2.id}/join`, undefined, joinKey);
    expect(errorCode(elsewhere)).toBe('IDEMPOTENCY_KEY_REUSED');
    const replay = await joiner.post(`/v1/groups/${g1.id}/join`, undefined, joinKey);
    expect([replay.statusCode, replay.headers['idempotent-replayed']]).toEqual([200, 'true']);
  });
});

describe('payment notifications', () => {
  async function pendingOrder() {
    const d = awaitingPayment(deps(ctx));
    const p = await product(ctx, { groupSize: 2 });
    const opener = await login(ctx);
    const out = await openGroup(d, { userId: opener.id, productId: p.id, idempotency: NO_IDEMPOTENCY });
    return { d, p, opener, group: out.body, order: out.body.myOrder! };
  }

  const notify = (n: { rawBody: string; headers: Record<string, string> }) =>
    ctx.app.inject({ method: 'POST', url: WECHATPAY_NOTIFY_PATH, headers: n.headers, payload: n.rawBody });

  it('opens the group when the platform notifies the opener payment, and a redelivery credits nothing more', async () => {
    const { d, opener, group, order } = await pendingOrder();
    const n = await platformNotification(d, { orderId: order.id, amount: order.amount, transactionId: '4200000001' });
    const first = await notify(n);
    expect([first.statusCode, first.body]).toEqual([204, '']);
    expect((await notify(n)).statusCode).toBe(204);
    ctx.clock.advance(1000);
    // The platform's next retry round: a new envelope for the same transaction.
    const redelivered = await platformNotification(d, { orderId: order.id, amount: order.amount, transactionId: '4200000001' });
    expect((await notify(redelivered)).statusCode).toBe(204);
    const g = (await opener.get(`/v1/groups/${group.id}`)).json() as Group;
    expect(g).toMatchObject({ status: 'open', seatsLeft: 1, myOrder: { status: 'paid', paidAmount: order.amount } });
    expect(await findGroupBuyDrift(ctx.database.db)).toEqual([]);
  });

  it('is paid through the pay sheet: the platform checks paySign, pays and notifies, once', async () => {
    const { d, opener, group, order } = await pendingOrder();
    // The buyer closed the sheet: asking again reopens the same prepay (the app's own simulated buyer would pay at once, so d).
    const sheet = (await payOrder(d, opener.id, order.id)).payment!.params;
    expect(sheet.package).toBe(order.payment!.params.package);
    const sim = await platformOf(d);
    expect((await sim.requestPayment({ ...sheet, paySign: order.payment!.params.paySign.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A')) })).errMsg).toMatch(/fail/);
    expect((await sim.requestPayment(sheet)).errMsg).toBe('requestPayment:ok');
    expect((await opener.get(`/v1/groups/${group.id}`)).json()).toMatchObject({ status: 'open', myOrder: { status: 'paid' } });
    const paidAgain = await opener.post(`/v1/orders/${order.id}/pay`);
    expect([paidAgain.statusCode, errorCode(paidAgain)]).toEqual([409, 'ORDER_STATE_INVALID']);
  });

  it('refuses forged, stale, tampered and undecryptable notifications without touching the order', async () => {
    const { d, opener, group, order } = await pendingOrder();
    const { generateKeyPairSync } = await import('node:crypto');
    const t = { orderId: order.id, amount: order.amount };
    const refused = async (n: { rawBody: string; headers: Record<string, string> }, status: number) => {
      const res = await notify(n);
      expect([res.statusCode, res.json().code]).toEqual([status, 'FAIL']);
    };
    await refused(await platformNotification(d, t, { signWith: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey }), 401);
    await refused(await platformNotification(d, t, { at: new Date(ctx.clock.now().getTime() - 10 * 60_000) }), 401);
    const good = await platformNotification(d, t);
    await refused({ ...good, rawBody: good.rawBody.replace('"summary":"', '"summary":"x') }, 401);
    await refused({ rawBody: good.rawBody, headers: { 'content-type': 'application/json' } }, 401);
    await refused(await platformNotification(d, t, { apiV3Key: 'k'.repeat(32) }), 400);
    expect((await opener.get(`/v1/groups/${group.id}`)).json()).toMatchObject({ status: 'pending', myOrder: { status: 'pending_payment', paidAmount: 0 } });
  });

  it('keeps money of a wrong amount, an unknown order or another payer for operators, and marks nothing paid', async () => {
    const { d, opener, group, order } = await pendingOrder();
    const anomalies = () => ctx.database.db.select().from(paymentAnomalies);
    const before = (await anomalies()).length;
    expect((await notify(await platformNotification(d, { orderId: order.id, amount: order.amount - 1, transactionId: '4200000301' }))).statusCode).toBe(204);
    expect((await notify(await platformNotification(d, { orderId: '00000000-0000-4000-8000-000000000000', amount: 100, transactionId: '4200000302' }))).statusCode).toBe(204);
    const stranger = await platformNotification(d, { orderId: order.id, amount: order.amount, transactionId: '4200000303', payer: 'o_someone_else' });
    expect((await notify(stranger)).statusCode).toBe(204);
    expect((await notify(stranger)).statusCode).toBe(204);
    const found = (await anomalies()).slice(before);
    expect(found.map((a) => [a.kind, a.transactionId, a.orderId])).toEqual([
      ['amount_mismatch', '4200000301', order.id],
      ['unknown_order', '4200000302', null],
      ['payer_mismatch', '4200000303', order.id],
    ]);
    expect((await opener.get(`/v1/groups/${group.id}`)).json()).toMatchObject({ status: 'pending', myOrder: { status: 'pending_payment', paidAmount: 0 } });
  });

  it('keeps the order and answers a retryable PAYMENT_UNAVAILABLE when the platform does not answer the prepay', async () => {
    const d = awaitingPayment(deps(ctx));
    const p = await product(ctx, { groupSize: 2 });
    const opener = await login(ctx);
    const sim = await platformOf(d);
    sim.faults.push({ kind: 'status', status: 500, path: '/v3/pay/transactions/jsapi' });
    await expect(openGroup(d, { userId: opener.id, productId: p.id, idempotency: NO_IDEMPOTENCY })).rejects.toMatchObject({ code: 'PAYMENT_UNAVAILABLE', statusCode: 503 });
    const [o] = (await opener.get('/v1/me/orders')).json().orders as Order[];
    expect(o).toMatchObject({ status: 'pending_payment' });
    const again = await payOrder(d, opener.id, o!.id);
    expect(again.payment?.params.package).toMatch(/^prepay_id=/);
    const prepays = sim.requests.filter((r) => r.path === '/v3/pay/transactions/jsapi');
    expect(prepays.slice(-2).map((r) => r.status)).toEqual([500, 200]);
  });

  it('gives back a second payment of an already paid order', async () => {
    const { d, opener, order } = await pendingOrder();
    await payAtPlatform(d, order.id);
    await notify(await platformNotification(d, { orderId: order.id, amount: order.amount, transactionId: '4200000002' }));
    const { refundDue } = await import('../../../src/modules/groupbuy/groupbuy.jobs.js');
    expect(await refundDue(d)).toBe(1);
    const [o] = (await opener.get('/v1/me/orders')).json().orders as Order[];
    expect(o).toMatchObject({ status: 'paid', paidAmount: 2 * order.amount, refundedAmount: order.amount, refund: { status: 'succeeded' } });
    expect(await findGroupBuyDrift(ctx.database.db)).toEqual([]);
  });
});

describe('what gets stored', () => {
  it('refuses to edit or remove payments, refunds and order transitions', async () => {
    const db = ctx.database.db;
    const refusal = async (q: Promise<unknown>) => q.then(() => 'allowed', (e: Error & { cause?: Error }) => e.cause?.message ?? e.message);
    for (const table of ['payments', 'refunds', 'order_transitions']) {
      expect(await refusal(db.execute(sql.raw(`update ${table} set id = id`)))).toMatch(new RegExp(`${table} is append-only: UPDATE`));
      expect(await refusal(db.execute(sql.raw(`delete from ${table}`)))).toMatch(/append-only: DELETE/);
      expect(await refusal(db.execute(sql.raw(`truncate ${table} cascade`)))).toMatch(/append-only: TRUNCATE/);
    }
  });

  it('never lets stock go below zero, even by hand', async () => {
    const p = await product(ctx, { stock: 0 });
    const q = ctx.database.db.update(products).set({ stock: -1 }).where(eq(products.id, p.id));
    await expect(q).rejects.toThrow();
  });

  it('documents every group-buy route in OpenAPI with an operationId', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const ops = Object.entries(doc.paths as Record<string, Record<string, { operationId?: string }>>)
      .filter(([path]) => path.startsWith('/v1/') && /products|groups|orders|payments/.test(path))
      .flatMap(([, methods]) => Object.values(methods).map((m) => m.operationId));
    expect(ops.sort()).toEqual(
      [
        'getGroup',
        'getProduct',
        'joinGroup',
        'listMyOrders',
        'listProducts',
        'openGroup',
        'payOrder',
        'paySimulated',
        'receiveWechatPayNotification',
      ].sort(),
    );
  });

  it('keeps every order total equal to its payments and refunds, and every seat count to its seats', async () => {
    expect(await findGroupBuyDrift(ctx.database.db)).toEqual([]);
  });
});

describe('a server without a payment provider', () => {
  it('answers PAYMENT_UNAVAILABLE instead of placing an order', async () => {
    const other = await setup({ config: { JIZAN_PAYMENT_PROVIDER: 'none' } });
    try {
      const p = await product(other);
      const buyer = await login(other);
      const res = await buyer.post('/v1/groups', { productId: p.id });
      expect([res.statusCode, errorCode(res)]).toEqual([503, 'PAYMENT_UNAVAILABLE']);
      expect((await buyer.get('/v1/me/orders')).json().orders).toEqual([]);
      const d = deps(other, { JIZAN_PAYMENT_PROVIDER: 'none' });
      await expect(joinGroup(d, { userId: buyer.id, groupId: p.id, idempotency: NO_IDEMPOTENCY })).rejects.toMatchObject({ code: 'PAYMENT_UNAVAILABLE' });
    } finally {
      await other.close();
    }
  });
});
