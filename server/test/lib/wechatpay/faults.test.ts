import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WechatPayClient } from '../../../src/lib/wechatpay/client.js';
import {
  WechatPayApiError,
  WechatPayTimeoutError,
  WechatPayTransportError,
  WechatPayVerificationError,
} from '../../../src/lib/wechatpay/errors.js';
import { startWechatPaySimulator, type WechatPaySimulator } from '../../../src/sim/wechatpay/simulator.js';
import { clientFor, outNo, startMerchantEndpoint } from './harness.js';

let sim: WechatPaySimulator;
let client: WechatPayClient;
let merchant: Awaited<ReturnType<typeof startMerchantEndpoint>>;

beforeAll(async () => {
  sim = await startWechatPaySimulator();
  merchant = await startMerchantEndpoint(() => client);
  client = clientFor(sim, merchant.url, { timeoutMs: 300 });
});
afterAll(async () => {
  await sim.close();
  await merchant.close();
});

const order = (no: string) => ({ description: '吉赞拼团', out_trade_no: no, amount: { total: 100, currency: 'CNY' as const }, payer: { openid: 'o-1' } });
const caught = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e);
const paidOrder = async () => {
  const no = outNo();
  await client.jsapiPrepay(order(no));
  await sim.pay(no);
  return no;
};
const refundOf = (no: string, refundNo: string) => ({ out_trade_no: no, out_refund_no: refundNo, amount: { refund: 100, total: 100, currency: 'CNY' as const } });

describe('the platform down or slow: each failure is typed and says whether the outcome is unknown', () => {
  it('no answer within the timeout is a timeout error, and a query under the same number finds what happened', async () => {
    const no = outNo();
    sim.faults.push({ kind: 'timeout', path: '/v3/pay/transactions/jsapi', applied: true });
    const e = await caught(client.jsapiPrepay(order(no)));
    expect(e).toBeInstanceOf(WechatPayTimeoutError);
    expect(e).toMatchObject({ outcomeUnknown: true, retryable: true });
    // The platform did create it: the retry (same out_trade_no) gets the same prepay, not a second order.
    expect((await client.queryByOutTradeNo(no)).trade_state).toBe('NOTPAY');
    expect((await client.jsapiPrepay(order(no))).prepayId).toBe(sim.ledger.transactions.get(no)?.prepayId);
  });

  it('a refund whose answer is lost is found by query-refund, and retrying it refunds once', async () => {
    const no = await paidOrder();
    const refundNo = outNo('rf');
    sim.faults.push({ kind: 'reset', path: '/v3/refund/domestic/refunds', method: 'POST', applied: true });
    expect(await caught(client.refund(refundOf(no, refundNo)))).toBeInstanceOf(WechatPayTransportError);
    expect((await client.queryRefund(refundNo)).status).toBe('PROCESSING');
    await client.refund(refundOf(no, refundNo));
    expect([...sim.ledger.refunds.values()].filter((r) => r.outTradeNo === no)).toHaveLength(1);
  });

  it('a 5xx SYSTEM_ERROR is unknown and retryable; FREQUENCY_LIMITED is retryable but was not applied', async () => {
    sim.faults.push({ kind: 'status', status: 500 });
    const down = await caught(client.queryByOutTradeNo(outNo()));
    expect(down).toBeInstanceOf(WechatPayApiError);
    expect(down).toMatchObject({ status: 500, code: 'SYSTEM_ERROR', outcomeUnknown: true, retryable: true });

    sim.faults.push({ kind: 'status', status: 429, code: 'FREQUENCY_LIMITED' });
    expect(await caught(client.queryRefund(outNo('rf')))).toMatchObject({ code: 'FREQUENCY_LIMITED', outcomeUnknown: false, retryable: true });
  });

  it('an unsigned 502 from a gateway is a 5xx error, not a forgery; a signed answer from a wrong key is refused', async () => {
    sim.faults.push({ kind: 'gateway' });
    expect(await caught(client.queryByOutTradeNo(outNo()))).toMatchObject({ status: 502, code: 'SYSTEM_ERROR', outcomeUnknown: true });

    const no = outNo();
    sim.faults.push({ kind: 'bad-signature', path: '/v3/pay/transactions/jsapi' });
    const forged = await caught(client.jsapiPrepay(order(no)));
    expect(forged).toBeInstanceOf(WechatPayVerificationError);
    expect(forged).toMatchObject({ reason: 'bad-signature', outcomeUnknown: true });
  });

  it('a slow answer past the call’s own timeout is a timeout; within it, it succeeds', async () => {
    sim.faults.push({ kind: 'slow', delayMs: 500 });
    expect(await caught(client.queryByOutTradeNo(outNo()))).toBeInstanceOf(WechatPayTimeoutError);
    const no = outNo();
    await client.jsapiPrepay(order(no));
    sim.faults.push({ kind: 'slow', delayMs: 200 });
    expect((await client.queryByOutTradeNo(no, { timeoutMs: 2_000 })).trade_state).toBe('NOTPAY');
  });
});

describe('notifications as the platform really sends them', () => {
  it('a duplicated notification arrives twice at once; both are verified and answered 204', async () => {
    const no = outNo();
    await client.jsapiPrepay(order(no));
    sim.notifier.faults.push('duplicate');
    const d = await sim.pay(no);
    expect(d?.attempts.map((a) => a.status)).toEqual([204, 204]);
    const seen = merchant.events.filter((e) => e.kind === 'transaction' && e.transaction.out_trade_no === no);
    expect(seen).toHaveLength(2);
    expect(seen[0]?.id).toBe(seen[1]?.id); // one notification id: the merchant's key for "already handled"
  });

  it('held notifications released in reverse arrive out of order', async () => {
    const [a, b] = [outNo(), outNo()];
    await client.jsapiPrepay(order(a));
    await client.jsapiPrepay(order(b));
    sim.notifier.faults.push('hold', 'hold');
    await sim.pay(a);
    await sim.pay(b);
    const before = merchant.events.length;
    await sim.notifier.releaseHeld({ reverse: true });
    const order2 = merchant.events.slice(before).map((e) => (e.kind === 'transaction' ? e.transaction.out_trade_no : ''));
    expect(order2).toEqual([b, a]);
  });

  it('a notification that never comes leaves the payment to be found by query', async () => {
    const no = outNo();
    await client.jsapiPrepay(order(no));
    sim.notifier.faults.push('drop');
    const d = await sim.pay(no);
    expect(d?.attempts).toHaveLength(0);
    expect(merchant.events.some((e) => e.kind === 'transaction' && e.transaction.out_trade_no === no)).toBe(false);
    expect((await client.queryByOutTradeNo(no)).trade_state).toBe('SUCCESS');
  });

  it('an answer other than 2xx leaves it pending, and the platform’s next round delivers it', async () => {
    const no = outNo();
    await client.jsapiPrepay(order(no));
    merchant.failNext(1);
    const d = await sim.pay(no);
    expect(d?.acknowledged).toBe(false);
    expect(d?.attempts[0]).toMatchObject({ status: 500 });
    expect(JSON.parse(d!.attempts[0]!.body)).toMatchObject({ code: 'FAIL' });
    await sim.notifier.redeliver();
    expect(d?.acknowledged).toBe(true);
  });

  it('the platform’s signature probe, a forged, a stale and a tampered notification are each refused with 401', async () => {
    const no = outNo();
    await client.jsapiPrepay(order(no));
    sim.notifier.faults.push('sign-test');
    const d = await sim.pay(no);
    expect(d?.attempts.map((a) => [a.status, a.probe ?? false])).toEqual([[401, true], [204, false]]);

    const { body } = sim.notifier.envelope('TRANSACTION.SUCCESS', '支付成功', 'transaction', { out_trade_no: no, trade_state: 'SUCCESS' });
    const post = (headers: Record<string, string>, b = body) => fetch(merchant.url, { method: 'POST', headers, body: b }).then((r) => r.status);
    const forger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(await post(sim.notifier.headers(body, { signWith: forger }))).toBe(401);
    expect(await post(sim.notifier.headers(body, { at: new Date(Date.now() - 10 * 60_000) }))).toBe(401);
    expect(await post(sim.notifier.headers(body), body.replace('"summary":"支付成功"', '"summary":"x"'))).toBe(401);
    expect(merchant.refused.slice(-4).map((r) => r.reason)).toEqual(['sign-test', 'bad-signature', 'stale', 'bad-signature']);

    // Signed by the platform but encrypted under another APIv3 key: verified, yet it does not open.
    const other = sim.notifier.envelope('TRANSACTION.SUCCESS', '支付成功', 'transaction', {}, 'Q'.repeat(32));
    expect(await post(sim.notifier.headers(other.body), other.body)).toBe(400);
  });
});
