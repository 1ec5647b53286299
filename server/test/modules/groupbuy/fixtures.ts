import type { Group, PaymentNotification, Product } from '@jizan/shared';
import { PAYMENT_SIGNATURE_HEADER, PAYMENT_TIMESTAMP_HEADER } from '@jizan/shared';
import { groupBuyDeps, type GroupBuyDeps } from '../../../src/modules/groupbuy/groupbuy.deps.js';
import { expireDue, refundDue } from '../../../src/modules/groupbuy/groupbuy.jobs.js';
import { createProduct } from '../../../src/modules/groupbuy/groupbuy.service.js';
import type { ProductInput } from '../../../src/modules/groupbuy/group-rules.js';
import { signNotification } from '../../../src/modules/groupbuy/payment-provider.js';
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

/** A provider that leaves orders waiting for the buyer to pay, as a real one does until its notification. */
export function awaitingPayment(base: GroupBuyDeps): GroupBuyDeps {
  return { ...base, payments: { ...base.payments, prepay: async (r) => ({ kind: 'client', params: { prepayId: `wx_${r.orderId}` } }) } };
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

/** A notification as the provider would post it, signed with the server's configured key. */
export function signedNotification(body: Partial<PaymentNotification> & { orderId: string; amount: number }, at: Date, secret = testConfig().payment.notifySecret!) {
  const full: PaymentNotification = {
    id: `evt_${Math.random().toString(36).slice(2)}`,
    type: 'payment.succeeded',
    transactionId: `tx_${body.orderId}`,
    paidAt: at.toISOString(),
    ...body,
  };
  const rawBody = JSON.stringify(full);
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return {
    rawBody,
    timestamp,
    signature: signNotification(secret, timestamp, rawBody),
    headers: {
      'content-type': 'application/json',
      [PAYMENT_TIMESTAMP_HEADER]: timestamp,
      [PAYMENT_SIGNATURE_HEADER]: signNotification(secret, timestamp, rawBody),
    },
  };
}
