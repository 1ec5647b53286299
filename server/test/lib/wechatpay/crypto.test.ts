import { constants, generateKeyPairSync, privateDecrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptResource, encryptResource, encryptSensitive } from '../../../src/lib/wechatpay/aead.js';
import { WechatPayDecryptError, WechatPayVerificationError } from '../../../src/lib/wechatpay/errors.js';
import { acknowledged, answerFor, openNotification } from '../../../src/lib/wechatpay/notification.js';
import {
  authorization,
  parseAuthorization,
  paySheetMessage,
  paySheetParams,
  publicKeyOf,
  requestMessage,
  responseMessage,
  signMessage,
  verifyMessage,
} from '../../../src/lib/wechatpay/sign.js';
import { PlatformVerifier } from '../../../src/lib/wechatpay/verify.js';
import { AEAD_VECTOR, REQUEST_VECTOR, RESPONSE_VECTOR, VECTOR_CERTIFICATE, VECTOR_CERT_SERIAL, VECTOR_PUBLIC_KEY } from './vectors.js';

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const platform = rsa();
const merchant = rsa();
const PUB_KEY_ID = 'PUB_KEY_ID_0000000000000024101100397200000006';
const APIV3_KEY = 'a'.repeat(16) + 'B'.repeat(16);

/** What the platform sends: the headers of a body it signed at `at`. */
function platformSigned(body: string, at: Date, key = platform.privateKey, serial = PUB_KEY_ID) {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const nonce = 'n0nce' + timestamp;
  return {
    'wechatpay-timestamp': timestamp,
    'wechatpay-nonce': nonce,
    'wechatpay-serial': serial,
    'wechatpay-signature': signMessage(key, responseMessage(timestamp, nonce, body)),
  };
}

describe('signatures against independent vectors', () => {
  it('a request message we build verifies against openssl’s signature of the same request', () => {
    const v = REQUEST_VECTOR;
    const message = requestMessage(v.method, v.pathAndQuery, v.timestamp, v.nonce, v.body);
    expect(message).toBe('GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n');
    expect(verifyMessage(publicKeyOf(VECTOR_PUBLIC_KEY), message, v.signature)).toBe(true);
  });

  it('an answer signed by a platform certificate verifies by its serial, and a changed byte does not', () => {
    const v = RESPONSE_VECTOR;
    const verifier = new PlatformVerifier({ certificates: { [VECTOR_CERT_SERIAL]: VECTOR_CERTIFICATE } });
    const headers = { timestamp: v.timestamp, nonce: v.nonce, signature: v.signature, serial: VECTOR_CERT_SERIAL };
    const at = new Date(Number(v.timestamp) * 1000 + 60_000);
    expect(() => verifier.verify(headers, v.body, at)).not.toThrow();
    expect(() => verifier.verify(headers, v.body.replace('JyC91', 'JyC92'), at)).toThrow(
      expect.objectContaining({ reason: 'bad-signature' }),
    );
  });

  it('a notification resource encrypted elsewhere decrypts, and a wrong key or associated data fails', () => {
    const v = AEAD_VECTOR;
    const resource = { algorithm: 'AEAD_AES_256_GCM', ciphertext: v.ciphertext, nonce: v.nonce, associated_data: v.associatedData };
    expect(decryptResource(v.apiV3Key, resource)).toBe(v.plaintext);
    expect(() => decryptResource('X'.repeat(32), resource)).toThrow(WechatPayDecryptError);
    expect(() => decryptResource(v.apiV3Key, { ...resource, associated_data: 'refund' })).toThrow(WechatPayDecryptError);
    expect(() => decryptResource('too short', resource)).toThrow(/32 bytes/);
  });
});

describe('sensitive fields', () => {
  it('a field encrypted to the platform key opens only with the platform’s private key (RSA-OAEP)', () => {
    const c = encryptSensitive(platform.publicKey, '张三');
    const open = (key: typeof platform.privateKey) =>
      privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(c, 'base64')).toString('utf8');
    expect(open(platform.privateKey)).toBe('张三');
    expect(() => open(merchant.privateKey)).toThrow();
  });
});

describe('request signing', () => {
  it('the Authorization header carries all five parts and its signature covers method, path with query and body', () => {
    const body = '{"mchid":"1900000109"}';
    const header = authorization({
      mchid: '1900000109', serialNo: 'ABC123', privateKey: merchant.privateKey,
      method: 'POST', pathAndQuery: '/v3/pay/transactions/out-trade-no/jz1/close', body, timestamp: '1700000000',
    });
    expect(header).toMatch(/^WECHATPAY2-SHA256-RSA2048 mchid="1900000109",nonce_str="[0-9A-F]{32}",signature="[^"]+",timestamp="1700000000",serial_no="ABC123"$/);
    const p = parseAuthorization(header)!;
    const signed = (path: string, b: string) => verifyMessage(merchant.publicKey, requestMessage('POST', path, p.timestamp, p.nonce_str, b), p.signature);
    expect(signed('/v3/pay/transactions/out-trade-no/jz1/close', body)).toBe(true);
    expect(signed('/v3/pay/transactions/out-trade-no/jz2/close', body)).toBe(false);
    expect(signed('/v3/pay/transactions/out-trade-no/jz1/close', body.replace('109', '108'))).toBe(false);
    expect(parseAuthorization('Bearer x')).toBeNull();
  });

  it('the pay sheet is signed over appId, timeStamp, nonceStr and package, each on its own line', () => {
    const at = new Date('2026-05-01T04:00:00Z');
    const sheet = paySheetParams({ appId: 'wx8888888888888888', prepayId: 'wx201410272009395522657a690389285100', privateKey: merchant.privateKey, at });
    expect(sheet).toMatchObject({ timeStamp: '1777608000', package: 'prepay_id=wx201410272009395522657a690389285100', signType: 'RSA' });
    expect(sheet.nonceStr).toMatch(/^[0-9A-F]{32}$/);
    const message = paySheetMessage('wx8888888888888888', sheet.timeStamp, sheet.nonceStr, sheet.package);
    expect(verifyMessage(merchant.publicKey, message, sheet.paySign)).toBe(true);
    expect(verifyMessage(merchant.publicKey, paySheetMessage('wx0000000000000000', sheet.timeStamp, sheet.nonceStr, sheet.package), sheet.paySign)).toBe(false);
  });
});

describe('verifying what the platform sends', () => {
  const verifier = new PlatformVerifier({ publicKeyId: PUB_KEY_ID, publicKey: platform.publicKey });
  const now = new Date('2026-05-01T04:00:00Z');
  const body = '{"prepay_id":"wx1"}';
  const check = (h: Record<string, string>, b = body, at = now) => {
    try {
      verifier.verify({ timestamp: h['wechatpay-timestamp']!, nonce: h['wechatpay-nonce']!, signature: h['wechatpay-signature']!, serial: h['wechatpay-serial']! }, b, at);
      return 'ok';
    } catch (e) {
      return (e as WechatPayVerificationError).reason;
    }
  };

  it('accepts the platform key within five minutes either way and refuses beyond', () => {
    const h = platformSigned(body, now);
    expect(check(h)).toBe('ok');
    expect(check(h, body, new Date(now.getTime() + 299_000))).toBe('ok');
    expect(check(h, body, new Date(now.getTime() - 299_000))).toBe('ok');
    expect(check(h, body, new Date(now.getTime() + 301_000))).toBe('stale');
    expect(check(platformSigned(body, new Date(now.getTime() + 10 * 60_000)))).toBe('stale');
  });

  it('refuses a forged key, an unknown serial, a tampered body, a signature probe and missing headers', () => {
    const forger = rsa();
    expect(check(platformSigned(body, now, forger.privateKey))).toBe('bad-signature');
    expect(check(platformSigned(body, now, platform.privateKey, 'PUB_KEY_ID_0000000000000000000000000000000099'))).toBe('unknown-serial');
    expect(check(platformSigned(body, now), '{"prepay_id":"wx2"}')).toBe('bad-signature');
    expect(check({ ...platformSigned(body, now), 'wechatpay-signature': 'WECHATPAY/SIGNTEST/' + 'A'.repeat(40) })).toBe('sign-test');
    expect(() => verifier.verify(null, body, now)).toThrow(expect.objectContaining({ reason: 'missing-headers' }));
  });

  it('a notification opens only when signed and encrypted by the platform, and each refusal maps to the platform’s answer', () => {
    const resource = encryptResource(APIV3_KEY, JSON.stringify({ out_trade_no: 'jz1', trade_state: 'SUCCESS' }), 'transaction');
    const rawBody = JSON.stringify({ id: 'EV-1', create_time: '2026-05-01T12:00:00+08:00', event_type: 'TRANSACTION.SUCCESS', resource_type: 'encrypt-resource', resource, summary: '支付成功' });
    const deps = { verifier, apiV3Key: APIV3_KEY, now };
    const event = openNotification({ headers: platformSigned(rawBody, now), rawBody }, deps);
    expect(event).toMatchObject({ kind: 'transaction', id: 'EV-1', transaction: { out_trade_no: 'jz1', trade_state: 'SUCCESS' } });
    expect(acknowledged.status).toBe(204);

    const forged = () => openNotification({ headers: platformSigned(rawBody, now, rsa().privateKey), rawBody }, deps);
    expect(forged).toThrow(WechatPayVerificationError);
    expect(answerFor(catching(forged))).toEqual({ status: 401, body: { code: 'FAIL', message: expect.any(String) } });

    const wrongKey = () => openNotification({ headers: platformSigned(rawBody, now), rawBody }, { ...deps, apiV3Key: 'Z'.repeat(32) });
    expect(answerFor(catching(wrongKey))).toMatchObject({ status: 400, body: { code: 'FAIL' } });
    expect(answerFor(new Error('database down'))).toMatchObject({ status: 500, body: { code: 'FAIL' } });
  });
});

function catching(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}
