import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WechatPayClient } from '../../../src/lib/wechatpay/client.js';
import { WechatPayApiError, WechatPayProtocolError, WechatPayVerificationError } from '../../../src/lib/wechatpay/errors.js';
import { startWechatPaySimulator, type WechatPaySimulator } from '../../../src/sim/wechatpay/simulator.js';
import { beijingToday, clientFor, outNo, startMerchantEndpoint } from './harness.js';

let sim: WechatPaySimulator;
let client: WechatPayClient;
let merchant: Awaited<ReturnType<typeof startMerchantEndpoint>>;
const clock = { offsetMs: 0 };

beforeAll(async () => {
  sim = await startWechatPaySimulator({ now: () => new Date(Date.now() + clock.offsetMs) });
  merchant = await startMerchantEndpoint(() => client);
  client = clientFor(sim, merchant.url, { timeoutMs: 2_000 });
});
afterAll(async () => {
  await sim.close();
  await merchant.close();
});

const order = (no: string, total = 990) => ({ description: '吉赞拼团-土鸡蛋30枚', out_trade_no: no, amount: { total, currency: 'CNY' as const }, payer: { openid: 'o-buyer-1' } });
const codeOf = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof WechatPayApiError ? `${e.status} ${e.code}` : (e as Error).name));

describe('paying a group-buy order through the platform', () => {
  it('prepay, the buyer pays in the sheet, the notification is verified and decrypted, and a query agrees', async () => {
    const no = outNo();
    const { prepayId, paySheet } = await client.jsapiPrepay(order(no));
    expect(prepayId).toMatch(/^wx\d+$/);
    expect(paySheet.package).toBe(`prepay_id=${prepayId}`);

    expect((await client.queryByOutTradeNo(no)).trade_state).toBe('NOTPAY');
    const paid = await sim.requestPayment({ ...paySheet, appId: client.appid });
    expect(paid.errMsg).toBe('requestPayment:ok');
    expect(paid.delivery?.acknowledged).toBe(true);

    const event = merchant.events.find((e) => e.kind === 'transaction' && e.transaction.out_trade_no === no);
    expect(event).toMatchObject({ eventType: 'TRANSACTION.SUCCESS', transaction: { trade_state: 'SUCCESS', amount: { total: 990 }, payer: { openid: 'o-buyer-1' } } });
    const q = await client.queryByOutTradeNo(no);
    expect(q).toMatchObject({ trade_state: 'SUCCESS', out_trade_no: no });
    expect(q.transaction_id).toBe(event?.kind === 'transaction' ? event.transaction.transaction_id : 'none');
  });

  it('a retried prepay gets the same prepay_id, and paying twice is impossible', async () => {
    const no = outNo();
    const first = await client.jsapiPrepay(order(no));
    expect((await client.jsapiPrepay(order(no))).prepayId).toBe(first.prepayId);
    expect(await codeOf(client.jsapiPrepay(order(no, 1000)))).toBe('403 OUT_TRADE_NO_USED');
    await sim.pay(no);
    expect(await codeOf(client.jsapiPrepay(order(no)))).toBe('400 ORDERPAID');
    expect((await sim.requestPayment(first.paySheet)).errMsg).toBe('requestPayment:fail 该订单已支付');
    await expect(sim.pay(no)).rejects.toThrow(/ORDERPAID/);
  });

  it('a pay sheet signed with another key or for another app is refused by the sheet', async () => {
    const no = outNo();
    const { paySheet } = await client.jsapiPrepay(order(no));
    expect((await sim.requestPayment({ ...paySheet, appId: 'wx0000000000000000' })).errMsg).toMatch(/^requestPayment:fail/);
    expect((await sim.requestPayment({ ...paySheet, paySign: paySheet.paySign.slice(4) + 'AAAA' })).errMsg).toMatch(/^requestPayment:fail/);
    expect((await client.queryByOutTradeNo(no)).trade_state).toBe('NOTPAY');
  });

  it('an expired unpaid order is closed on the platform; a paid one cannot be, and says so', async () => {
    const unpaid = outNo();
    await client.jsapiPrepay(order(unpaid));
    await client.closeByOutTradeNo(unpaid);
    expect((await client.queryByOutTradeNo(unpaid)).trade_state).toBe('CLOSED');
    await client.closeByOutTradeNo(unpaid); // closing twice is fine: a retried job must not fail
    expect(await codeOf(client.jsapiPrepay(order(unpaid)))).toBe('400 ORDER_CLOSED');

    const paid = outNo();
    await client.jsapiPrepay(order(paid));
    await sim.pay(paid);
    expect(await codeOf(client.closeByOutTradeNo(paid))).toBe('400 ORDERPAID');
    expect(await codeOf(client.queryByOutTradeNo(outNo('never')))).toBe('404 ORDER_NOT_EXIST');
  });

  it('bad input is the platform’s PARAM_ERROR with its message, not a crash', async () => {
    const e = await client.jsapiPrepay({ ...order(outNo()), description: '' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WechatPayApiError);
    expect(e).toMatchObject({ status: 400, code: 'PARAM_ERROR', outcomeUnknown: false, retryable: false });
    expect((e as WechatPayApiError).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('refunding a failed group', () => {
  it('refund is PROCESSING, a retry with the same out_refund_no refunds once, and REFUND.SUCCESS arrives', async () => {
    const no = outNo();
    await client.jsapiPrepay(order(no, 1990));
    await sim.pay(no);
    const refundNo = outNo('rf');
    const ask = { out_trade_no: no, out_refund_no: refundNo, reason: '拼团未成团', amount: { refund: 1990, total: 1990, currency: 'CNY' as const } };
    const r = await client.refund(ask);
    expect(r).toMatchObject({ status: 'PROCESSING', out_refund_no: refundNo, amount: { refund: 1990 } });
    expect((await client.refund(ask)).refund_id).toBe(r.refund_id);
    expect(await codeOf(client.refund({ ...ask, out_refund_no: outNo('rf') }))).toBe('400 INVALID_REQUEST');

    const delivery = await sim.settleRefund(refundNo, 'SUCCESS');
    expect(delivery?.acknowledged).toBe(true);
    expect(merchant.events.find((e) => e.kind === 'refund' && e.refund.out_refund_no === refundNo)).toMatchObject({
      eventType: 'REFUND.SUCCESS',
      refund: { refund_status: 'SUCCESS', out_trade_no: no, amount: { refund: 1990 } },
    });
    expect((await client.queryRefund(refundNo)).status).toBe('SUCCESS');
    expect((await client.queryByOutTradeNo(no)).trade_state).toBe('REFUND');
  });

  it('an abnormal refund is reported as REFUND.ABNORMAL; an empty balance is NOT_ENOUGH; an unknown refund is RESOURCE_NOT_EXISTS', async () => {
    const no = outNo();
    await client.jsapiPrepay(order(no, 500));
    await sim.pay(no);
    const refundNo = outNo('rf');
    await client.refund({ out_trade_no: no, out_refund_no: refundNo, amount: { refund: 500, total: 500, currency: 'CNY' } });
    await sim.settleRefund(refundNo, 'ABNORMAL');
    expect(merchant.events.find((e) => e.kind === 'refund' && e.refund.out_refund_no === refundNo)?.eventType).toBe('REFUND.ABNORMAL');

    sim.ledger.refundableBalance = 100;
    try {
      expect(await codeOf(client.refund({ out_trade_no: no, out_refund_no: outNo('rf'), amount: { refund: 500, total: 500, currency: 'CNY' } }))).toBe('403 NOT_ENOUGH');
    } finally {
      sim.ledger.refundableBalance = null;
    }
    expect(await codeOf(client.queryRefund(outNo('rf')))).toBe('404 RESOURCE_NOT_EXISTS');
    expect(await codeOf(client.refund({ out_trade_no: outNo('never'), out_refund_no: outNo('rf'), amount: { refund: 1, total: 1, currency: 'CNY' } }))).toBe('404 RESOURCE_NOT_EXISTS');
  });
});

describe('the trade bill', () => {
  it('lists the day’s payments and refunds to the fen, and checks the download against its SHA1', async () => {
    const a = outNo();
    const b = outNo();
    await client.jsapiPrepay({ ...order(a, 1234), description: '土鸡蛋,30枚' });
    await client.jsapiPrepay(order(b, 1));
    await sim.pay(a);
    await sim.pay(b);
    const refundNo = outNo('rf');
    await client.refund({ out_trade_no: a, out_refund_no: refundNo, amount: { refund: 234, total: 1234, currency: 'CNY' } });

    const { rows, summary } = await client.fetchTradeBill(beijingToday());
    const pay = rows.find((r) => r.outTradeNo === a && r.tradeState === 'SUCCESS');
    expect(pay).toMatchObject({ orderTotalFen: 1234, settlementTotalFen: 1234, description: '土鸡蛋,30枚', mchid: client.mchid });
    expect(rows.find((r) => r.outTradeNo === b)?.orderTotalFen).toBe(1);
    expect(rows.find((r) => r.outRefundNo === refundNo)).toMatchObject({ tradeState: 'REFUND', refundFen: 234, refundStatus: 'PROCESSING' });
    expect(summary.count).toBe(rows.length);
    expect(summary.orderTotalFen).toBe(rows.reduce((s, r) => s + r.orderTotalFen, 0));
    expect(summary.refundTotalFen).toBe(rows.reduce((s, r) => s + r.refundFen, 0));

    expect(await codeOf(client.tradeBill('2001-01-01'))).toBe('400 NO_STATEMENT_EXIST');
    const bill = await client.tradeBill(beijingToday());
    await expect(client.downloadBill({ ...bill, hash_value: '0'.repeat(40) })).rejects.toThrow(WechatPayVerificationError);
    await expect(client.downloadBill({ ...bill, download_url: 'https://elsewhere.example/v3/billdownload/file?token=x' })).rejects.toThrow(WechatPayProtocolError);
  });
});

describe('signatures between the merchant and the platform', () => {
  it('a request signed with another merchant key is 401 SIGN_ERROR', async () => {
    const impostor = clientFor(sim, merchant.url, { merchantPrivateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey });
    const e = await impostor.queryByOutTradeNo(outNo()).catch((x: unknown) => x);
    expect(e).toMatchObject({ status: 401, code: 'SIGN_ERROR' });
  });

  it('a merchant clock ten minutes off is refused by the platform, and a platform clock ten minutes off is refused by us', async () => {
    const late = clientFor(sim, merchant.url, { now: () => new Date(Date.now() - 10 * 60_000) });
    // The platform refuses it, and that refusal is signed at the platform's time, which the skewed
    // clock cannot verify either: such a merchant sees "stale", the sign to fix its clock.
    expect(await late.queryByOutTradeNo(outNo()).catch((x: unknown) => x)).toMatchObject({ reason: 'stale' });
    expect(sim.requests.at(-1)).toMatchObject({ status: 401 });
    clock.offsetMs = 10 * 60_000;
    try {
      const e = await client.jsapiPrepay(order(outNo())).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(WechatPayVerificationError);
      expect(e).toMatchObject({ reason: 'stale', outcomeUnknown: true });
    } finally {
      clock.offsetMs = 0;
    }
  });

  it('a merchant still on platform certificates verifies by the certificate serial', async () => {
    const certSim = await startWechatPaySimulator({ mode: 'certificate' });
    try {
      const c = clientFor(certSim, merchant.url);
      const no = outNo();
      await c.jsapiPrepay(order(no));
      expect((await c.queryByOutTradeNo(no)).trade_state).toBe('NOTPAY');
      const wrongMode = clientFor(certSim, merchant.url, { platform: sim.clientOptions('').platform });
      expect(await codeOf(wrongMode.queryByOutTradeNo(no))).toBe('WechatPayVerificationError');
    } finally {
      await certSim.close();
    }
  });
});
