import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WechatPayClient } from '../../../src/lib/wechatpay/client.js';
import { answerFor, type WechatPayEvent } from '../../../src/lib/wechatpay/notification.js';
import { paymentConfig } from '../../../src/payment-config.js';
import { loadOrCreateSimKeys, merchantEnv } from '../../../src/sim/wechatpay/keys.js';
import { startWechatPaySimulator, WechatPaySimulator } from '../../../src/sim/wechatpay/simulator.js';
import { outNo } from './harness.js';

const dir = mkdtempSync(path.join(tmpdir(), 'wechatpay-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const order = (no: string) => ({ description: '吉赞拼团', out_trade_no: no, amount: { total: 100, currency: 'CNY' as const }, payer: { openid: 'o-1' } });

describe('driving the simulator from outside a test', () => {
  it('keys kept in a folder survive a restart, and merchant.env names every WECHATPAY_* setting', async () => {
    const first = loadOrCreateSimKeys(dir);
    const again = loadOrCreateSimKeys(dir);
    expect(again.publicKeyId).toBe(first.publicKeyId);
    expect(again.platformPublicKey.equals(first.platformPublicKey)).toBe(true);
    const env = merchantEnv(again, { dir, apiBase: 'http://127.0.0.1:4010', notifyUrl: 'http://127.0.0.1:3000/n' });
    expect(Object.keys(env).sort()).toEqual([
      'JIZAN_WECHATPAY_SIMULATOR_URL', 'WECHATPAY_APIV3_KEY', 'WECHATPAY_API_BASE', 'WECHATPAY_APPID', 'WECHATPAY_MCHID', 'WECHATPAY_MERCHANT_KEY_FILE',
      'WECHATPAY_MERCHANT_SERIAL', 'WECHATPAY_NOTIFY_URL', 'WECHATPAY_PUBLIC_KEY_FILE', 'WECHATPAY_PUBLIC_KEY_ID', 'WECHATPAY_TRANSFER_SCENE_ID',
    ]);
    expect(env.WECHATPAY_APIV3_KEY).toHaveLength(32);
    // The file is a whole configuration: the server reads it as it would the real merchant's, and
    // the simulator's URL (the H5 preview's sheets) is refused where money is real.
    const wechatpayEnv = { ...env, JIZAN_PAYMENT_PROVIDER: 'wechatpay' };
    const config = paymentConfig(wechatpayEnv, 'development');
    expect(config.provider === 'wechatpay' && config.wechatpay.simulatorUrl).toBe('http://127.0.0.1:4010');
    expect(() => paymentConfig(wechatpayEnv, 'production')).toThrow(/JIZAN_WECHATPAY_SIMULATOR_URL cannot be set in production/);

    // A client built only from the files, as the server's config would build it, talks to a simulator on those keys.
    const sim = await startWechatPaySimulator({ keys: again });
    try {
      const client = new WechatPayClient({
        mchid: env.WECHATPAY_MCHID!, appid: env.WECHATPAY_APPID!, merchantSerialNo: env.WECHATPAY_MERCHANT_SERIAL!,
        merchantPrivateKey: readFileSync(env.WECHATPAY_MERCHANT_KEY_FILE!),
        platform: { publicKeyId: env.WECHATPAY_PUBLIC_KEY_ID!, publicKey: readFileSync(env.WECHATPAY_PUBLIC_KEY_FILE!) },
        apiV3Key: env.WECHATPAY_APIV3_KEY!, notifyUrl: env.WECHATPAY_NOTIFY_URL!, baseUrl: sim.url,
      });
      const no = outNo();
      const { paySheet } = await client.jsapiPrepay(order(no));

      // The HTTP test hooks: inject a fault, then pay through the pay-sheet route.
      const hook = (p: string, b: unknown) => fetch(`${sim.url}/__sim/${p}`, { method: 'POST', body: JSON.stringify(b) });
      expect((await hook('faults', { kind: 'status', status: 503, path: '/out-trade-no/' })).status).toBe(204);
      await expect(client.queryByOutTradeNo(no)).rejects.toMatchObject({ status: 503 });
      const sheet = await hook('request-payment', { ...paySheet, appId: client.appid });
      expect(await sheet.json()).toEqual({ errMsg: 'requestPayment:ok' });
      expect((await client.queryByOutTradeNo(no)).trade_state).toBe('SUCCESS');
      expect((await hook('pay', { out_trade_no: no })).status).toBe(409);
    } finally {
      await sim.close();
    }
  });

  it('notifications can be handed to a handler in process instead of over HTTP', async () => {
    const events: WechatPayEvent[] = [];
    let client: WechatPayClient | null = null;
    const sim = new WechatPaySimulator({
      keys: loadOrCreateSimKeys(dir),
      post: async (_url, body, headers) => {
        try {
          events.push(client!.openNotification({ headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), rawBody: body }));
          return { status: 204, body: '' };
        } catch (e) {
          const a = answerFor(e);
          return { status: a.status, body: JSON.stringify(a.body) };
        }
      },
    });
    await sim.listen();
    try {
      client = new WechatPayClient(sim.clientOptions('https://jizan.example/v1/payments/wechatpay/notify'));
      const no = outNo();
      await client.jsapiPrepay(order(no));
      expect((await sim.pay(no))?.acknowledged).toBe(true);
      expect(events).toMatchObject([{ kind: 'transaction', transaction: { out_trade_no: no, trade_state: 'SUCCESS' } }]);
    } finally {
      await sim.close();
    }
  });

  it('with autoSettleRefunds a refund answers PROCESSING and then succeeds with its notification', async () => {
    const sim = await startWechatPaySimulator({ keys: loadOrCreateSimKeys(dir), autoSettleRefunds: true, autoNotify: false });
    try {
      const client = new WechatPayClient(sim.clientOptions('https://jizan.example/notify'));
      const no = outNo();
      await client.jsapiPrepay(order(no));
      await sim.pay(no);
      const refundNo = outNo('rf');
      const r = await client.refund({ out_trade_no: no, out_refund_no: refundNo, amount: { refund: 100, total: 100, currency: 'CNY' } });
      expect(r.status).toBe('PROCESSING');
      await sim.settled();
      expect((await client.queryRefund(refundNo)).status).toBe('SUCCESS');
      // Any other v3 API on the same merchant goes through the same signed request (issue 21's transfers will).
      await expect(client.request('POST', '/v3/fund-app/mch-transfer/transfer-bills', { appid: client.appid })).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
    } finally {
      await sim.close();
    }
  });
});
