import type { KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSimKeys } from '../../../src/sim/wechatpay/keys.js';
import { ConfigError, loadConfig } from '../../../src/config.js';

/** A secret that passes the strength check, different per seed letter. */
const strong = (seed: string) => `${seed}-Qm9v4Zr7Tx2Lw8Kp3Nd6Hy1Bc5Fg0Js`;
const prod = { NODE_ENV: 'production', JWT_SECRET: strong('s'), WECHAT_APP_ID: 'wx', WECHAT_APP_SECRET: 'sec' };
const dev = { NODE_ENV: 'development', JWT_SECRET: strong('d') };

/** A merchant's files as the platform hands them over, written from simulator keys. */
function merchantFiles() {
  const keys = generateSimKeys();
  const dir = mkdtempSync(path.join(tmpdir(), 'jizan-wxpay-'));
  const pem = (k: KeyObject) => k.export({ type: k.type === 'private' ? 'pkcs8' : 'spki', format: 'pem' }).toString();
  writeFileSync(path.join(dir, 'apiclient_key.pem'), pem(keys.merchantPrivateKey));
  writeFileSync(path.join(dir, 'pub_key.pem'), pem(keys.platformPublicKey));
  return {
    JIZAN_PAYMENT_PROVIDER: 'wechatpay',
    WECHATPAY_MCHID: keys.mchid,
    WECHATPAY_MERCHANT_SERIAL: keys.merchantSerialNo,
    WECHATPAY_MERCHANT_KEY_FILE: path.join(dir, 'apiclient_key.pem'),
    WECHATPAY_PUBLIC_KEY_ID: keys.publicKeyId,
    WECHATPAY_PUBLIC_KEY_FILE: path.join(dir, 'pub_key.pem'),
    WECHATPAY_APIV3_KEY: keys.apiV3Key,
    WECHATPAY_NOTIFY_URL: 'https://api.example.com/v1/payments/wechatpay/notify',
  };
}

describe('group-buy configuration at boot', () => {
  it('pays through the in-process WeChat Pay simulator outside production; its buyer pays at once only in tests', () => {
    expect(loadConfig(dev).payment).toEqual({ provider: 'simulator', autoPay: false });
    expect(loadConfig({ ...dev, NODE_ENV: 'test' }).payment).toEqual({ provider: 'simulator', autoPay: true });
    expect(loadConfig({ ...dev, JIZAN_PAYMENT_SIMULATOR_AUTOPAY: 'on' }).payment).toEqual({ provider: 'simulator', autoPay: true });
  });

  it('never lets the simulator into production, where nothing is sold until WeChat Pay is configured', () => {
    expect(() => loadConfig({ ...prod, JIZAN_PAYMENT_PROVIDER: 'simulator' })).toThrow(/JIZAN_PAYMENT_PROVIDER=simulator/);
    expect(loadConfig(prod).payment).toEqual({ provider: 'none' });
    expect(() => loadConfig({ ...dev, JIZAN_PAYMENT_PROVIDER: 'paypal' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...dev, JIZAN_PAYMENT_PROVIDER: 'dev' })).toThrow(/JIZAN_PAYMENT_PROVIDER/);
  });

  it('reads a WeChat Pay merchant from its files once, with the app id of the mini-program by default', () => {
    const env = merchantFiles();
    const c = loadConfig({ ...prod, ...env });
    expect(c.payment.provider).toBe('wechatpay');
    if (c.payment.provider !== 'wechatpay') return;
    expect(c.payment.wechatpay).toMatchObject({ mchid: env.WECHATPAY_MCHID, appid: 'wx', publicKeyId: env.WECHATPAY_PUBLIC_KEY_ID, apiBase: 'https://api.mch.weixin.qq.com' });
    expect(c.payment.wechatpay.merchantPrivateKey.type).toBe('private');
    expect(loadConfig({ ...prod, ...env, WECHATPAY_APPID: 'wxpay', WECHATPAY_API_BASE: 'http://127.0.0.1:4010' }).payment).toMatchObject({
      wechatpay: { appid: 'wxpay', apiBase: 'http://127.0.0.1:4010' },
    });
  });

  it('names what is missing or wrong in a WeChat Pay configuration', () => {
    const env = merchantFiles();
    for (const name of ['WECHATPAY_MCHID', 'WECHATPAY_MERCHANT_SERIAL', 'WECHATPAY_MERCHANT_KEY_FILE', 'WECHATPAY_PUBLIC_KEY_ID', 'WECHATPAY_APIV3_KEY', 'WECHATPAY_NOTIFY_URL'] as const) {
      expect(() => loadConfig({ ...prod, ...env, [name]: '' }), name).toThrow(new RegExp(name));
    }
    expect(() => loadConfig({ ...prod, ...env, WECHATPAY_APIV3_KEY: 'short' })).toThrow(/32-byte/);
    expect(() => loadConfig({ ...prod, ...env, WECHATPAY_MERCHANT_KEY_FILE: '/nonexistent.pem' })).toThrow(/cannot read/);
    expect(() => loadConfig({ ...prod, ...env, WECHATPAY_MERCHANT_KEY_FILE: env.WECHATPAY_PUBLIC_KEY_FILE })).toThrow(/WECHATPAY_MERCHANT_KEY_FILE/);
    expect(() => loadConfig({ ...prod, ...env, WECHATPAY_NOTIFY_URL: 'http://api.example.com/notify?x=1' })).toThrow(/WECHATPAY_NOTIFY_URL/);
    expect(() => loadConfig({ ...prod, ...env, WECHATPAY_PUBLIC_KEY_ID: 'abc' })).toThrow(/PUB_KEY_ID_/);
  });

  it('runs jobs in process by default except in tests, and reads the group-buy timings', () => {
    expect(loadConfig(dev).jobs).toEqual({ inProcess: true, intervalMs: 5000 });
    expect(loadConfig({ ...dev, NODE_ENV: 'test' }).jobs.inProcess).toBe(false);
    expect(loadConfig({ ...dev, JIZAN_JOBS_IN_PROCESS: 'off' }).jobs.inProcess).toBe(false);
    expect(loadConfig(dev).groupBuy).toEqual({ payWindowSeconds: 15 * 60, refundMaxAttempts: 8, refundRetrySeconds: 60 });
    expect(loadConfig({ ...dev, JIZAN_ORDER_PAY_MINUTES: '30' }).groupBuy.payWindowSeconds).toBe(1800);
    expect(() => loadConfig({ ...dev, JIZAN_ORDER_PAY_MINUTES: '0' })).toThrow(/JIZAN_ORDER_PAY_MINUTES/);
  });
});
