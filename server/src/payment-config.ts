import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { WECHATPAY_API_BASE, WechatPayClient } from './lib/wechatpay/client.js';
import { ConfigError, flag, type Env } from './config-values.js';

/** What a merchant holds to speak WeChat Pay API v3, each read from its file once at boot. */
export interface WechatPayConfig {
  mchid: string;
  appid: string;
  merchantSerialNo: string;
  merchantPrivateKey: KeyObject;
  /** Public-key mode: the platform public key and its `PUB_KEY_ID_…`. */
  publicKeyId: string | null;
  publicKey: KeyObject | null;
  /** Certificate mode (older merchants): platform certificates by serial. */
  certificates: Record<string, KeyObject>;
  apiV3Key: string;
  notifyUrl: string;
  apiBase: string;
  /**
   * JIZAN_WECHATPAY_SIMULATOR_URL: the platform is the simulator of `sim/wechatpay/main.ts`, whose
   * merchant.env sets it, so the H5 preview's pay and 确认收款 sheets reach its hooks. Never in production.
   */
  simulatorUrl: string | null;
}

/**
 * `wechatpay`: the platform, with the merchant's keys. `simulator`: a WeChat Pay v3 platform in
 * this process, with keys it generated (development and tests; never production), whose simulated
 * buyer pays every prepay at once when `autoPay` (tests) or waits for the pay sheet (the H5
 * preview). `none`: nothing can be bought.
 */
export type PaymentConfig =
  | { provider: 'none' }
  | { provider: 'simulator'; autoPay: boolean }
  | { provider: 'wechatpay'; wechatpay: WechatPayConfig };

const PROVIDERS = ['wechatpay', 'simulator', 'none'] as const;

function required(env: Env, name: string): string {
  const v = env[name]?.trim();
  if (!v) throw new ConfigError(`${name} is required with JIZAN_PAYMENT_PROVIDER=wechatpay`);
  return v;
}

function pemFile(env: Env, name: string): string {
  const file = required(env, name);
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${name}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function key<T>(name: string, make: () => T): T {
  try {
    return make();
  } catch {
    throw new ConfigError(`${name} does not hold a PEM key`);
  }
}

function wechatPayConfig(env: Env, nodeEnv: 'development' | 'test' | 'production'): WechatPayConfig {
  const mchid = required(env, 'WECHATPAY_MCHID');
  if (!/^\d{1,32}$/.test(mchid)) throw new ConfigError('WECHATPAY_MCHID is the merchant number, digits only');
  const appid = env.WECHATPAY_APPID?.trim() || env.WECHAT_APP_ID?.trim();
  if (!appid) throw new ConfigError('WECHATPAY_APPID (or WECHAT_APP_ID) is required with JIZAN_PAYMENT_PROVIDER=wechatpay');
  const merchantPem = pemFile(env, 'WECHATPAY_MERCHANT_KEY_FILE');
  const merchantPrivateKey = key('WECHATPAY_MERCHANT_KEY_FILE', () => createPrivateKey(merchantPem));
  const certificates: Record<string, KeyObject> = {};
  for (const file of (env.WECHATPAY_PLATFORM_CERT_FILES ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const cert = key('WECHATPAY_PLATFORM_CERT_FILES', () => new X509Certificate(readFileSync(file)));
    certificates[cert.serialNumber.toUpperCase()] = cert.publicKey;
  }
  const hasCerts = Object.keys(certificates).length > 0;
  const publicKeyId = env.WECHATPAY_PUBLIC_KEY_ID?.trim() || (hasCerts ? null : required(env, 'WECHATPAY_PUBLIC_KEY_ID'));
  if (publicKeyId && !publicKeyId.startsWith('PUB_KEY_ID_')) throw new ConfigError('WECHATPAY_PUBLIC_KEY_ID starts with PUB_KEY_ID_');
  const publicPem = publicKeyId ? pemFile(env, 'WECHATPAY_PUBLIC_KEY_FILE') : null;
  const publicKey = publicPem ? key('WECHATPAY_PUBLIC_KEY_FILE', () => createPublicKey(publicPem)) : null;
  const apiV3Key = required(env, 'WECHATPAY_APIV3_KEY');
  if (Buffer.byteLength(apiV3Key) !== 32) throw new ConfigError('WECHATPAY_APIV3_KEY is the 32-byte APIv3 key set on the merchant platform');
  const notifyUrl = required(env, 'WECHATPAY_NOTIFY_URL');
  // The platform only calls HTTPS URLs without a query; a typo here loses every notification silently.
  if (!/^https:\/\/[^?#\s]+$/.test(notifyUrl) && !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(notifyUrl)) {
    throw new ConfigError('WECHATPAY_NOTIFY_URL must be an https URL without a query, e.g. https://api.example.com/v1/payments/wechatpay/notify');
  }
  const simulatorUrl = env.JIZAN_WECHATPAY_SIMULATOR_URL?.trim() || null;
  if (simulatorUrl && nodeEnv === 'production') throw new ConfigError('JIZAN_WECHATPAY_SIMULATOR_URL cannot be set in production: its money is not real');
  if (simulatorUrl && !URL.canParse(simulatorUrl)) throw new ConfigError('JIZAN_WECHATPAY_SIMULATOR_URL is the simulator\'s base URL, e.g. http://127.0.0.1:4010');
  return {
    mchid,
    appid,
    merchantSerialNo: required(env, 'WECHATPAY_MERCHANT_SERIAL'),
    merchantPrivateKey,
    publicKeyId,
    publicKey,
    certificates,
    apiV3Key,
    notifyUrl,
    apiBase: env.WECHATPAY_API_BASE?.trim() || WECHATPAY_API_BASE,
    simulatorUrl,
  };
}

export function paymentConfig(env: Env, nodeEnv: 'development' | 'test' | 'production'): PaymentConfig {
  const provider = env.JIZAN_PAYMENT_PROVIDER || (nodeEnv === 'production' ? 'none' : 'simulator');
  if (!(PROVIDERS as readonly string[]).includes(provider)) {
    throw new ConfigError(`JIZAN_PAYMENT_PROVIDER must be one of ${PROVIDERS.join(', ')}, got "${provider}"`);
  }
  if (provider === 'simulator') {
    if (nodeEnv === 'production') throw new ConfigError('JIZAN_PAYMENT_PROVIDER=simulator cannot be used in production: its money is not real');
    return { provider, autoPay: flag(env, 'JIZAN_PAYMENT_SIMULATOR_AUTOPAY', nodeEnv === 'test') };
  }
  if (provider === 'wechatpay') return { provider, wechatpay: wechatPayConfig(env, nodeEnv) };
  return { provider: 'none' };
}

/**
 * The v3 client of the configured merchant. Payments and merchant transfers are one merchant with
 * one key set; only where the platform posts back differs (`notifyUrl`, the payments' by default).
 */
export function wechatPayClient(c: WechatPayConfig, notifyUrl: string = c.notifyUrl): WechatPayClient {
  return new WechatPayClient({
    mchid: c.mchid,
    appid: c.appid,
    merchantSerialNo: c.merchantSerialNo,
    merchantPrivateKey: c.merchantPrivateKey,
    platform: {
      ...(c.publicKeyId && c.publicKey ? { publicKeyId: c.publicKeyId, publicKey: c.publicKey } : {}),
      ...(Object.keys(c.certificates).length > 0 ? { certificates: c.certificates } : {}),
    },
    apiV3Key: c.apiV3Key,
    notifyUrl,
    baseUrl: c.apiBase,
  });
}
