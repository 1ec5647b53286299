import { KeyObject, createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';

/**
 * SHA256-with-RSA signatures as API v3 uses them: the merchant signs requests and the mini-program
 * pay sheet with its API key; the platform signs answers and notifications with its own. Every
 * signed message is lines ending in "\n", the last line included, so an empty body is a bare "\n".
 */

export const AUTH_SCHEME = 'WECHATPAY2-SHA256-RSA2048';

/** A PEM string or buffer, or a key already parsed. */
export type KeyInput = string | Buffer | KeyObject;

export function privateKeyOf(key: KeyInput): KeyObject {
  const k = key instanceof KeyObject ? key : createPrivateKey(key);
  if (k.type !== 'private' || k.asymmetricKeyType !== 'rsa') throw new TypeError('an RSA private key is required');
  return k;
}

/** Accepts a public key, an X.509 certificate (platform certificate mode) or a private key's public half. */
export function publicKeyOf(key: KeyInput): KeyObject {
  const k = key instanceof KeyObject ? key : createPublicKey(key);
  const pub = k.type === 'private' ? createPublicKey(k) : k;
  if (pub.asymmetricKeyType !== 'rsa') throw new TypeError('an RSA public key is required');
  return pub;
}

/** 32 characters of [0-9A-F]: the documented nonce is any string of at most 32. */
export function nonceStr(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

export function unixSeconds(at: Date): string {
  return String(Math.floor(at.getTime() / 1000));
}

/** The string a merchant signs: method, the URL's path and query (no host), timestamp, nonce, body. */
export function requestMessage(method: string, pathAndQuery: string, timestamp: string, nonce: string, body: string): string {
  return `${method.toUpperCase()}\n${pathAndQuery}\n${timestamp}\n${nonce}\n${body}\n`;
}

/** The string the platform signs on an answer or a notification. */
export function responseMessage(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

/** The pay sheet's paySign input: the app id must be the one the prepay was made with. */
export function paySheetMessage(appId: string, timeStamp: string, nonce: string, pkg: string): string {
  return `${appId}\n${timeStamp}\n${nonce}\n${pkg}\n`;
}

export function signMessage(privateKey: KeyObject, message: string): string {
  return sign('sha256', Buffer.from(message, 'utf8'), privateKey).toString('base64');
}

export function verifyMessage(publicKey: KeyObject, message: string, signatureBase64: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signatureBase64)) return false;
  return verify('sha256', Buffer.from(message, 'utf8'), publicKey, Buffer.from(signatureBase64, 'base64'));
}

export interface AuthorizationParts {
  mchid: string;
  nonce_str: string;
  signature: string;
  timestamp: string;
  serial_no: string;
}

export interface SignRequestInput {
  mchid: string;
  /** The serial number of the merchant API certificate whose private key signs. */
  serialNo: string;
  privateKey: KeyObject;
  method: string;
  pathAndQuery: string;
  body: string;
  timestamp: string;
  nonce?: string;
}

/** The Authorization header of one request. */
export function authorization(input: SignRequestInput): string {
  const nonce = input.nonce ?? nonceStr();
  const signature = signMessage(input.privateKey, requestMessage(input.method, input.pathAndQuery, input.timestamp, nonce, input.body));
  return (
    `${AUTH_SCHEME} mchid="${input.mchid}",nonce_str="${nonce}",signature="${signature}",` +
    `timestamp="${input.timestamp}",serial_no="${input.serialNo}"`
  );
}

/** Reads an Authorization header back into its parts; null when it is not the v3 scheme or a part is missing. */
export function parseAuthorization(header: string | undefined): AuthorizationParts | null {
  if (!header?.startsWith(`${AUTH_SCHEME} `)) return null;
  const parts: Record<string, string> = {};
  for (const m of header.slice(AUTH_SCHEME.length + 1).matchAll(/([a-z_]+)="([^"]*)"/g)) parts[m[1]!] = m[2]!;
  const { mchid, nonce_str, signature, timestamp, serial_no } = parts;
  if (!mchid || !nonce_str || !signature || !timestamp || !serial_no) return null;
  return { mchid, nonce_str, signature, timestamp, serial_no };
}

/** What `Taro.requestPayment` / `wx.requestPayment` takes, signed for one prepay. */
export interface PaySheetParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

export function paySheetParams(input: {
  appId: string;
  prepayId: string;
  privateKey: KeyObject;
  at: Date;
  nonce?: string;
}): PaySheetParams {
  const timeStamp = unixSeconds(input.at);
  const nonce = input.nonce ?? nonceStr();
  const pkg = `prepay_id=${input.prepayId}`;
  return {
    timeStamp,
    nonceStr: nonce,
    package: pkg,
    signType: 'RSA',
    paySign: signMessage(input.privateKey, paySheetMessage(input.appId, timeStamp, nonce, pkg)),
  };
}
