import { decryptResource, type EncryptedResource } from './aead.js';
import { WechatPayDecryptError, WechatPayProtocolError, WechatPayVerificationError } from './errors.js';
import type { RefundNotice, Transaction } from './types.js';
import { signedHeadersOf, type PlatformVerifier } from './verify.js';

/**
 * Notifications the platform POSTs to notify_url: a signed JSON envelope whose `resource` is
 * encrypted under the APIv3 key. The platform retries (15 s, 15 s, 30 s, 3 min … over about a
 * day) until the merchant answers 200 or 204, so handling must be idempotent and duplicates and
 * reordering are normal.
 */

export interface NotificationEnvelope {
  id: string;
  create_time: string;
  event_type: string;
  resource_type: 'encrypt-resource';
  resource: EncryptedResource;
  summary: string;
}

export type WechatPayEvent =
  | { kind: 'transaction'; id: string; eventType: 'TRANSACTION.SUCCESS'; createTime: string; transaction: Transaction }
  | { kind: 'refund'; id: string; eventType: 'REFUND.SUCCESS' | 'REFUND.ABNORMAL' | 'REFUND.CLOSED'; createTime: string; refund: RefundNotice };

const REFUND_EVENTS = new Set(['REFUND.SUCCESS', 'REFUND.ABNORMAL', 'REFUND.CLOSED']);

export interface IncomingNotification {
  /** fetch Headers or Node's lower-cased header object. */
  headers: Headers | Record<string, string | string[] | undefined>;
  /** The body exactly as received: verification is over these bytes, never over re-serialised JSON. */
  rawBody: string;
}

/**
 * Verifies, then decrypts. Throws WechatPayVerificationError (answer 401), WechatPayDecryptError
 * or WechatPayProtocolError (answer 400); nothing must change on any of them.
 */
export function openNotification(
  n: IncomingNotification,
  deps: { verifier: PlatformVerifier; apiV3Key: string | Buffer; now: Date },
): WechatPayEvent {
  deps.verifier.verify(signedHeadersOf(n.headers), n.rawBody, deps.now);
  let env: NotificationEnvelope;
  try {
    env = JSON.parse(n.rawBody) as NotificationEnvelope;
  } catch {
    throw new WechatPayProtocolError('the notification body is not JSON');
  }
  if (!env?.resource || typeof env.event_type !== 'string' || typeof env.id !== 'string') {
    throw new WechatPayProtocolError('the notification has no id, event_type or resource');
  }
  const plain = decryptResource(deps.apiV3Key, env.resource);
  let resource: unknown;
  try {
    resource = JSON.parse(plain);
  } catch {
    throw new WechatPayProtocolError('the decrypted resource is not JSON');
  }
  if (env.event_type === 'TRANSACTION.SUCCESS') {
    return { kind: 'transaction', id: env.id, eventType: env.event_type, createTime: env.create_time, transaction: resource as Transaction };
  }
  if (REFUND_EVENTS.has(env.event_type)) {
    return {
      kind: 'refund',
      id: env.id,
      eventType: env.event_type as 'REFUND.SUCCESS',
      createTime: env.create_time,
      refund: resource as RefundNotice,
    };
  }
  throw new WechatPayProtocolError(`unexpected event_type ${env.event_type}`);
}

/** How to answer the platform: success is 204 with no body; a failure carries `{code: "FAIL", message}` and makes it retry. */
export type NotificationAnswer = { status: 200 | 204; body?: undefined } | { status: number; body: { code: 'FAIL'; message: string } };

export const acknowledged: NotificationAnswer = { status: 204 };

/** The answer for an error thrown by openNotification or by our handling of a verified event. */
export function answerFor(err: unknown): NotificationAnswer {
  if (err instanceof WechatPayVerificationError) return { status: 401, body: { code: 'FAIL', message: '签名验证失败' } };
  if (err instanceof WechatPayProtocolError || err instanceof WechatPayDecryptError) {
    return { status: 400, body: { code: 'FAIL', message: '报文无法解析' } };
  }
  // Our own fault (database down): the platform retries later, which is what we want.
  return { status: 500, body: { code: 'FAIL', message: '处理失败，请重试' } };
}
