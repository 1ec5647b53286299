import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, randomInt, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The simulated merchant and platform: its own merchant API key (what the merchant downloads as
 * apiclient_key.pem), the platform's key pair with its `PUB_KEY_ID_…` (what the merchant
 * downloads as the platform public key), a certificate-style serial for certificate mode, and the
 * APIv3 key. Nothing here is a real credential.
 */
export interface SimKeys {
  mchid: string;
  appid: string;
  merchantSerialNo: string;
  merchantPrivateKey: KeyObject;
  merchantPublicKey: KeyObject;
  platformPrivateKey: KeyObject;
  platformPublicKey: KeyObject;
  publicKeyId: string;
  /** The serial the same platform key goes by in certificate mode (40 hex digits, as certificates have). */
  certificateSerial: string;
  apiV3Key: string;
}

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });

export function generateSimKeys(over: Partial<Pick<SimKeys, 'mchid' | 'appid'>> = {}): SimKeys {
  const merchant = rsa();
  const platform = rsa();
  return {
    mchid: over.mchid ?? '19' + digits(8),
    appid: over.appid ?? 'wxs1m' + randomBytes(6).toString('hex'),
    merchantSerialNo: randomBytes(20).toString('hex').toUpperCase(),
    merchantPrivateKey: merchant.privateKey,
    merchantPublicKey: merchant.publicKey,
    platformPrivateKey: platform.privateKey,
    platformPublicKey: platform.publicKey,
    publicKeyId: 'PUB_KEY_ID_' + digits(34),
    certificateSerial: randomBytes(20).toString('hex').toUpperCase(),
    // 32 printable characters, as the merchant platform asks a merchant to set.
    apiV3Key: randomBytes(24).toString('base64url').slice(0, 32),
  };
}

/**
 * Keeps the simulator's keys in a folder so a server configured from files (WECHATPAY_*_FILE)
 * and a simulator restarted later still agree. Writes the merchant's view of them too: the two
 * PEM files and an env file with every WECHATPAY_* value the server needs.
 */
export function loadOrCreateSimKeys(dir: string): SimKeys {
  const file = path.join(dir, 'simulator.json');
  if (existsSync(file)) {
    const j = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    return {
      mchid: j.mchid!,
      appid: j.appid!,
      merchantSerialNo: j.merchantSerialNo!,
      merchantPrivateKey: createPrivateKey(j.merchantPrivateKey!),
      merchantPublicKey: createPublicKey(j.merchantPrivateKey!),
      platformPrivateKey: createPrivateKey(j.platformPrivateKey!),
      platformPublicKey: createPublicKey(j.platformPrivateKey!),
      publicKeyId: j.publicKeyId!,
      certificateSerial: j.certificateSerial!,
      apiV3Key: j.apiV3Key!,
    };
  }
  const keys = generateSimKeys();
  mkdirSync(dir, { recursive: true });
  const pem = (k: KeyObject) => k.export({ type: k.type === 'private' ? 'pkcs8' : 'spki', format: 'pem' }).toString();
  writeFileSync(
    file,
    JSON.stringify({
      mchid: keys.mchid,
      appid: keys.appid,
      merchantSerialNo: keys.merchantSerialNo,
      merchantPrivateKey: pem(keys.merchantPrivateKey),
      platformPrivateKey: pem(keys.platformPrivateKey),
      publicKeyId: keys.publicKeyId,
      certificateSerial: keys.certificateSerial,
      apiV3Key: keys.apiV3Key,
    }),
    { mode: 0o600 },
  );
  writeFileSync(path.join(dir, 'apiclient_key.pem'), pem(keys.merchantPrivateKey), { mode: 0o600 });
  writeFileSync(path.join(dir, 'pub_key.pem'), pem(keys.platformPublicKey));
  return keys;
}

/** The WECHATPAY_* settings issue 20 names, for a server that should talk to this simulator. */
export function merchantEnv(keys: SimKeys, opts: { dir: string; apiBase: string; notifyUrl: string }): Record<string, string> {
  return {
    WECHATPAY_MCHID: keys.mchid,
    WECHATPAY_APPID: keys.appid,
    WECHATPAY_MERCHANT_SERIAL: keys.merchantSerialNo,
    WECHATPAY_MERCHANT_KEY_FILE: path.join(opts.dir, 'apiclient_key.pem'),
    WECHATPAY_PUBLIC_KEY_ID: keys.publicKeyId,
    WECHATPAY_PUBLIC_KEY_FILE: path.join(opts.dir, 'pub_key.pem'),
    WECHATPAY_APIV3_KEY: keys.apiV3Key,
    WECHATPAY_NOTIFY_URL: opts.notifyUrl,
    WECHATPAY_API_BASE: opts.apiBase,
    // The H5 preview's pay and 确认收款 sheets, and the transfers, on this simulator too.
    JIZAN_WECHATPAY_SIMULATOR_URL: opts.apiBase,
    WECHATPAY_TRANSFER_SCENE_ID: '1000',
  };
}
