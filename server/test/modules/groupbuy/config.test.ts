import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';

/** A secret that passes the strength check, different per seed letter. */
const strong = (seed: string) => `${seed}-Qm9v4Zr7Tx2Lw8Kp3Nd6Hy1Bc5Fg0Js`;
const prod = { NODE_ENV: 'production', JWT_SECRET: strong('s'), WECHAT_APP_ID: 'wx', WECHAT_APP_SECRET: 'sec' };
const dev = { NODE_ENV: 'development', JWT_SECRET: strong('d') };

describe('group-buy configuration at boot', () => {
  it('pays with the dev provider outside production, under a key derived from the main one', () => {
    const c = loadConfig(dev);
    expect(c.payment.provider).toBe('dev');
    expect(c.payment.notifySecret).toHaveLength(32);
    expect(Buffer.from(c.payment.notifySecret!).equals(Buffer.from(c.jwtSecret))).toBe(false);
    expect(loadConfig(dev).payment.notifySecret).toEqual(c.payment.notifySecret);
    expect(loadConfig({ ...dev, JWT_SECRET: strong('e') }).payment.notifySecret).not.toEqual(c.payment.notifySecret);
  });

  it('never lets the dev provider into production, where nothing is sold until a provider is set', () => {
    expect(() => loadConfig({ ...prod, JIZAN_PAYMENT_PROVIDER: 'dev' })).toThrow(/JIZAN_PAYMENT_PROVIDER/);
    const c = loadConfig(prod);
    expect(c.payment).toMatchObject({ provider: 'none', notifySecret: null });
  });

  it('refuses unknown providers and short notification keys', () => {
    expect(() => loadConfig({ ...dev, JIZAN_PAYMENT_PROVIDER: 'paypal' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...dev, JIZAN_PAYMENT_NOTIFY_SECRET: 'short' })).toThrow(/at least 32/);
    const own = loadConfig({ ...dev, JIZAN_PAYMENT_NOTIFY_SECRET: strong('k') });
    expect(Buffer.from(own.payment.notifySecret!).toString()).toBe(strong('k'));
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
