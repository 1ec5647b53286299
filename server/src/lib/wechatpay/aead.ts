import { constants, createCipheriv, createDecipheriv, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import { WechatPayDecryptError } from './errors.js';

/**
 * AEAD_AES_256_GCM as API v3 uses it for notification resources (and the certificates download):
 * the key is the 32-byte APIv3 key the merchant sets on the platform, the nonce a 12-character
 * string, and `ciphertext` the base64 of the encrypted bytes followed by the 16-byte tag.
 */

export const AEAD_ALGORITHM = 'AEAD_AES_256_GCM';
const TAG_BYTES = 16;

export interface EncryptedResource {
  algorithm: string;
  ciphertext: string;
  nonce: string;
  associated_data?: string;
  original_type?: string;
}

export function apiV3KeyOf(key: string | Buffer): Buffer {
  const k = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  if (k.length !== 32) throw new TypeError(`the APIv3 key is 32 bytes, got ${k.length}`);
  return k;
}

export function decryptResource(apiV3Key: string | Buffer, r: EncryptedResource): string {
  if (r.algorithm !== AEAD_ALGORITHM) throw new WechatPayDecryptError(`unsupported algorithm ${r.algorithm}`);
  const data = Buffer.from(r.ciphertext, 'base64');
  if (data.length <= TAG_BYTES) throw new WechatPayDecryptError('ciphertext too short to hold its tag');
  try {
    const decipher = createDecipheriv('aes-256-gcm', apiV3KeyOf(apiV3Key), Buffer.from(r.nonce, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    decipher.setAAD(Buffer.from(r.associated_data ?? '', 'utf8'));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch (e) {
    if (e instanceof TypeError) throw e;
    throw new WechatPayDecryptError('the resource does not decrypt under the APIv3 key (wrong key, or tampered)');
  }
}

/** The platform side of `decryptResource`; the simulator and test vectors use it. */
export function encryptResource(
  apiV3Key: string | Buffer,
  plaintext: string,
  associatedData: string,
  nonce: string = randomBytes(6).toString('hex'),
): EncryptedResource {
  const cipher = createCipheriv('aes-256-gcm', apiV3KeyOf(apiV3Key), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const enc = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { algorithm: AEAD_ALGORITHM, ciphertext: enc.toString('base64'), nonce, associated_data: associatedData };
}

/**
 * A sensitive request field (a transfer's user_name, issue 21) encrypted to the platform's key
 * with RSA-OAEP; the request must then name that key in Wechatpay-Serial.
 */
export function encryptSensitive(platformPublicKey: KeyObject, plaintext: string): string {
  return publicEncrypt(
    { key: platformPublicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    Buffer.from(plaintext, 'utf8'),
  ).toString('base64');
}
