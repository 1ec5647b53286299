import type { KeyObject } from 'node:crypto';
import { WechatPayVerificationError } from './errors.js';
import { publicKeyOf, responseMessage, verifyMessage, type KeyInput } from './sign.js';

/** The documented tolerance: an answer or notification more than 5 minutes from our clock is refused. */
export const DEFAULT_SKEW_SECONDS = 300;

/** The platform's deliberate bad signatures start with this; a merchant that accepts one is not verifying. */
const SIGN_TEST_PREFIX = 'WECHATPAY/SIGNTEST/';

/** The four headers that make an answer or a notification verifiable. */
export interface SignedHeaders {
  timestamp: string;
  nonce: string;
  signature: string;
  serial: string;
}

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function header(h: HeaderBag, name: string): string | undefined {
  if (typeof (h as Headers).get === 'function') return (h as Headers).get(name) ?? undefined;
  const bag = h as Record<string, string | string[] | undefined>;
  const v = bag[name] ?? bag[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Reads Wechatpay-Timestamp/-Nonce/-Signature/-Serial from fetch Headers or Node's lower-cased header object. */
export function signedHeadersOf(h: HeaderBag): SignedHeaders | null {
  const timestamp = header(h, 'wechatpay-timestamp');
  const nonce = header(h, 'wechatpay-nonce');
  const signature = header(h, 'wechatpay-signature');
  const serial = header(h, 'wechatpay-serial');
  if (!timestamp || !nonce || !signature || !serial) return null;
  return { timestamp, nonce, signature, serial };
}

export interface PlatformKeys {
  /** Public-key mode (the platform's current default): the key's id, `PUB_KEY_ID_…`, and the key. */
  publicKeyId?: string;
  publicKey?: KeyInput;
  /** Certificate mode, for merchants still on platform certificates: serial number → certificate (or its public key). */
  certificates?: Record<string, KeyInput>;
  toleranceSeconds?: number;
}

/**
 * Decides whether an answer or a notification came from the platform. Both modes may be held at
 * once, which is how a merchant migrates from certificates to the public key: the serial on each
 * message says which key signed it.
 */
export class PlatformVerifier {
  private readonly keys = new Map<string, KeyObject>();
  private readonly tolerance: number;

  constructor(opts: PlatformKeys) {
    if (opts.publicKeyId !== undefined || opts.publicKey !== undefined) {
      if (!opts.publicKeyId || !opts.publicKey) throw new TypeError('publicKeyId and publicKey go together');
      if (!opts.publicKeyId.startsWith('PUB_KEY_ID_')) throw new TypeError('a platform public key id starts with PUB_KEY_ID_');
      this.keys.set(opts.publicKeyId, publicKeyOf(opts.publicKey));
    }
    for (const [serial, cert] of Object.entries(opts.certificates ?? {})) this.keys.set(serial.toUpperCase(), publicKeyOf(cert));
    if (this.keys.size === 0) throw new TypeError('a platform public key or at least one platform certificate is required');
    this.tolerance = opts.toleranceSeconds ?? DEFAULT_SKEW_SECONDS;
  }

  /** The serial a request must name in Wechatpay-Serial when it carries fields encrypted to the platform. */
  get preferredSerial(): string {
    return this.keys.keys().next().value as string;
  }

  keyFor(serial: string): KeyObject | undefined {
    return this.keys.get(serial) ?? this.keys.get(serial.toUpperCase());
  }

  /** Throws WechatPayVerificationError unless `body` was signed by a key we hold, within the tolerated skew of `now`. */
  verify(h: SignedHeaders | null, body: string, now: Date): void {
    if (!h) throw new WechatPayVerificationError('missing-headers', 'Wechatpay-Timestamp, -Nonce, -Signature and -Serial are required');
    if (!/^[0-9]{1,12}$/.test(h.timestamp)) throw new WechatPayVerificationError('missing-headers', 'Wechatpay-Timestamp is not unix seconds');
    if (h.signature.startsWith(SIGN_TEST_PREFIX)) throw new WechatPayVerificationError('sign-test', 'a signature probe, refused as it must be');
    const key = this.keyFor(h.serial);
    if (!key) throw new WechatPayVerificationError('unknown-serial', `no platform key or certificate with serial ${h.serial}`);
    const skew = Math.abs(now.getTime() / 1000 - Number(h.timestamp));
    if (skew > this.tolerance) {
      throw new WechatPayVerificationError('stale', `Wechatpay-Timestamp is ${Math.round(skew)} s from our clock (tolerance ${this.tolerance} s)`);
    }
    if (!verifyMessage(key, responseMessage(h.timestamp, h.nonce, body), h.signature)) {
      throw new WechatPayVerificationError('bad-signature', 'the signature does not match the body');
    }
  }
}
