import { randomInt } from 'node:crypto';
import type { Group, Product } from '@jizan/shared';
import type { BuildOptions } from '../../../src/sim/wechatpay/notifier.js';
import type { WechatPaySimulator } from '../../../src/sim/wechatpay/simulator.js';
import { groupBuyDeps, type GroupBuyDeps } from '../../../src/modules/groupbuy/groupbuy.deps.js';
import { expireDue, refundDue } from '../../../src/modules/groupbuy/groupbuy.jobs.js';
import { createProduct } from '../../../src/modules/groupbuy/groupbuy.service.js';
import type { ProductInput } from '../../../src/modules/groupbuy/group-rules.js';
import { receiveNotification } from '../../../src/modules/groupbuy/payments.service.js';
import { findOrder } from '../../../src/modules/groupbuy/orders.repository.js';
import { openidOf } from '../../../src/modules/users/users.service.js';
import { simulatedPayments } from '../../../src/modules/groupbuy/simulated-payments.js';
import { beijingRfc3339, platformNo } from '../../../src/modules/groupbuy/wechatpay-provider.js';
import { campaign, testConfig, type Client, type TestContext } from '../../helper.js';

/** The group buy's dependencies over the test's database and clock, as the app builds them. */
export function deps(ctx: TestContext, config: Record<string, string> = {}): GroupBuyDeps {
  return groupBuyDeps({ config: testConfig(config), db: ctx.database.db, clock: ctx.clock });
}

/**
 * The jobs sweep the whole database, and the tests of one file share one: before counting what a
 * run did, let everything earlier tests left open run out and settle.
 */
export async function settleEarlierTests(ctx: TestContext): Promise<void> {
  ctx.clock.advance(48 * 3600_000);
  const d = deps(ctx);
  await expireDue(d);
  await refundDue(d);
}

/**
 * The same simulated platform (the clock's), with a buyer who does not pay by themselves: each
 * order waits for the pay sheet, as on the real platform, until the test pays it (payAtPlatform).
 */
export function awaitingPayment(base: GroupBuyDeps, refunds: 'instant' | 'manual' = 'instant'): GroupBuyDeps {
  const d: GroupBuyDeps = { ...base };
  d.simulator = simulatedPayments({
    clock: base.clock,
    autoPay: false,
    refunds,
    receive: (headers, rawBody) => receiveNotification(d, { headers, rawBody }),
  });
  d.payments = d.simulator.provider;
  return d;
}

export function platformOf(d: GroupBuyDeps): Promise<WechatPaySimulator> {
  return d.simulator!.platform();
}

/** The buyer pays in the pay sheet: the platform's TRANSACTION.SUCCESS reaches the handler of whoever prepaid. */
export async function payAtPlatform(d: GroupBuyDeps, orderId: string) {
  return (await platformOf(d)).pay(platformNo(orderId));
}

/**
 * A TRANSACTION.SUCCESS as the platform would post it (encrypted, signed), for any transaction a
 * test names: a second payment of one order, a wrong amount; `opts` forges or dates it.
 */
export async function platformNotification(
  d: GroupBuyDeps,
  t: { orderId: string; amount: number; transactionId?: string; payer?: string },
  opts: BuildOptions = {},
): Promise<{ rawBody: string; headers: Record<string, string> }> {
  const sim = await platformOf(d);
  const at = d.clock.now();
  const order = await findOrder(d.db, t.orderId).catch(() => undefined);
  const payer = order ? await openidOf(d.db, order.userId) : 'o_nobody';
  const resource = {
    mchid: sim.keys.mchid,
    appid: sim.keys.appid,
    out_trade_no: platformNo(t.orderId),
    transaction_id: t.transactionId ?? `4200${randomInt(1e9, 1e10 - 1)}${randomInt(1e9, 1e10 - 1)}`,
    trade_type: 'JSAPI',
    trade_state: 'SUCCESS',
    trade_state_desc: '支付成功',
    bank_type: 'OTHERS',
    success_time: beijingRfc3339(at),
    payer: { openid: t.payer ?? payer },
    amount: { total: t.amount, payer_total: t.amount, currency: 'CNY', payer_currency: 'CNY' },
  };
  const { body } = sim.notifier.envelope('TRANSACTION.SUCCESS', '支付成功', 'transaction', resource, opts.apiV3Key);
  const headers = Object.fromEntries(Object.entries(sim.notifier.headers(body, opts)).map(([k, v]) => [k.toLowerCase(), v]));
  return { rawBody: body, headers };
}

export async function product(ctx: TestContext, input: Partial<ProductInput> & { campaignId?: string } = {}): Promise<Product> {
  const campaignId = input.campaignId ?? (await campaign(ctx)).id;
  return createProduct({ db: ctx.database.db }, { title: '拼团好物', price: 2990, groupPrice: 1990, groupSize: 3, stock: 100, ...input, campaignId });
}

export async function open(client: Client, productId: string, headers?: Record<string, string>): Promise<Group> {
  const res = await client.post('/v1/groups', { productId }, headers);
  if (res.statusCode !== 201) throw new Error(`open failed: ${res.body}`);
  return res.json() as Group;
}

export async function join(client: Client, groupId: string): Promise<Group> {
  const res = await client.post(`/v1/groups/${groupId}/join`);
  if (res.statusCode !== 200) throw new Error(`join failed: ${res.body}`);
  return res.json() as Group;
}

/** The platform says the order was paid (a notification of its own making): the handler's answer. */
export async function notifyPaid(d: GroupBuyDeps, t: { orderId: string; amount: number; transactionId?: string }) {
  return receiveNotification(d, await platformNotification(d, t));
}

/** What the simulated platform's own books say: refunds it paid, and refund requests it received. */
export async function platformBooks(d: GroupBuyDeps): Promise<{ refundsPaid: number; refundPosts: number }> {
  const sim = await platformOf(d);
  return {
    refundsPaid: [...sim.ledger.refunds.values()].filter((r) => r.status === 'SUCCESS').length,
    refundPosts: sim.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/v3/refund/domestic/refunds')).length,
  };
}
