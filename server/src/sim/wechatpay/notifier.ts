import { randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { encryptResource } from '../../lib/wechatpay/aead.js';
import type { NotificationEnvelope } from '../../lib/wechatpay/notification.js';
import { nonceStr, responseMessage, signMessage, unixSeconds } from '../../lib/wechatpay/sign.js';
import type { SimKeys } from './keys.js';
import { beijingTime } from './ledger.js';

/**
 * The platform's notification sender: encrypts the resource under the APIv3 key, signs the
 * envelope with the platform key and POSTs it to notify_url. An answer other than 200/204 (or
 * none) leaves the notification pending; the real platform retries for about a day, here a test
 * calls `redeliver()` when it wants the next round.
 *
 * Faults, each consumed by the next notification: `drop` (it never comes), `duplicate` (two
 * deliveries at once, as two platform nodes would), `hold` (kept until `releaseHeld`, which can
 * deliver held ones in reverse: reordering), `sign-test` (first a probe signed
 * WECHATPAY/SIGNTEST/…, which the merchant must refuse, then the real one).
 */
export type NotifyFault = 'drop' | 'duplicate' | 'hold' | 'sign-test';

export interface DeliveryAttempt {
  at: Date;
  /** The merchant's status, or null when the request failed (refused connection, timeout). */
  status: number | null;
  body: string;
  probe?: boolean;
}

export interface Delivery {
  id: string;
  eventType: string;
  url: string;
  /** The envelope as sent (the same bytes on every retry, as the platform's are). */
  body: string;
  /** The plaintext resource, for a test to assert on. */
  resource: unknown;
  fault?: NotifyFault;
  attempts: DeliveryAttempt[];
  acknowledged: boolean;
}

/**
 * How a notification reaches the merchant: fetch by default; in process, a function that hands
 * the signed envelope to the route's handler as it would arrive. `status: null` is "no answer".
 */
export type NotificationTransport = (url: string, body: string, headers: Record<string, string>) => Promise<{ status: number | null; body: string }>;

export interface BuildOptions {
  /** Sign with another key: a forged notification. */
  signWith?: KeyObject;
  /** Sign as of another moment: a stale or replayed one. */
  at?: Date;
  serial?: string;
  apiV3Key?: string;
}

export class SimNotifier {
  readonly faults: NotifyFault[] = [];
  readonly log: Delivery[] = [];
  private held: Delivery[] = [];

  constructor(
    private readonly keys: SimKeys,
    private readonly serial: () => string,
    private readonly now: () => Date,
    private readonly transport?: NotificationTransport,
    private readonly timeoutMs = 5_000,
  ) {}

  /** The envelope and body of one notification, without sending it. */
  envelope(eventType: string, summary: string, originalType: 'transaction' | 'refund' | 'mch_payment', resource: unknown, apiV3Key = this.keys.apiV3Key) {
    const env: NotificationEnvelope = {
      id: randomUUID(),
      create_time: beijingTime(this.now()),
      event_type: eventType,
      resource_type: 'encrypt-resource',
      resource: { ...encryptResource(apiV3Key, JSON.stringify(resource), originalType, randomBytes(6).toString('hex')), original_type: originalType },
      summary,
    };
    return { id: env.id, body: JSON.stringify(env) };
  }

  /** The Wechatpay-* headers of `body`, as the platform signs them (or as a forger would, with `opts`). */
  headers(body: string, opts: BuildOptions = {}): Record<string, string> {
    const timestamp = unixSeconds(opts.at ?? this.now());
    const nonce = nonceStr();
    return {
      'Content-Type': 'application/json',
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Serial': opts.serial ?? this.serial(),
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
      'Wechatpay-Signature': signMessage(opts.signWith ?? this.keys.platformPrivateKey, responseMessage(timestamp, nonce, body)),
    };
  }

  /** Sends a new notification, applying the next queued fault. */
  async emit(url: string, eventType: string, summary: string, originalType: 'transaction' | 'refund' | 'mch_payment', resource: unknown): Promise<Delivery> {
    const { id, body } = this.envelope(eventType, summary, originalType, resource);
    const fault = this.faults.shift();
    const d: Delivery = { id, eventType, url, body, resource, ...(fault ? { fault } : {}), attempts: [], acknowledged: false };
    this.log.push(d);
    if (fault === 'drop') return d;
    if (fault === 'hold') {
      this.held.push(d);
      return d;
    }
    if (fault === 'sign-test') {
      const h = this.headers(body);
      h['Wechatpay-Signature'] = 'WECHATPAY/SIGNTEST/' + h['Wechatpay-Signature'];
      d.attempts.push({ ...(await this.post(url, body, h)), probe: true });
    }
    if (fault === 'duplicate') await Promise.all([this.attempt(d), this.attempt(d)]);
    else await this.attempt(d);
    return d;
  }

  /** The platform's next retry round: every delivered but unacknowledged notification, again. */
  async redeliver(): Promise<Delivery[]> {
    const pending = this.log.filter((d) => !d.acknowledged && d.fault !== 'drop' && !this.held.includes(d));
    for (const d of pending) await this.attempt(d);
    return pending;
  }

  /** Delivers held notifications, newest first with `reverse` (an order the merchant must survive). */
  async releaseHeld(opts: { reverse?: boolean } = {}): Promise<Delivery[]> {
    const batch = opts.reverse ? [...this.held].reverse() : [...this.held];
    this.held = [];
    for (const d of batch) await this.attempt(d);
    return batch;
  }

  get heldCount(): number {
    return this.held.length;
  }

  private async attempt(d: Delivery): Promise<void> {
    const a = await this.post(d.url, d.body, this.headers(d.body));
    d.attempts.push(a);
    if (a.status === 200 || a.status === 204) d.acknowledged = true;
  }

  private async post(url: string, body: string, headers: Record<string, string>): Promise<DeliveryAttempt> {
    const at = this.now();
    try {
      if (this.transport) return { at, ...(await this.transport(url, body, headers)) };
      const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
      return { at, status: res.status, body: await res.text() };
    } catch (e) {
      return { at, status: null, body: e instanceof Error ? e.message : String(e) };
    }
  }
}
