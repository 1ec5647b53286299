import { createHash, type KeyObject } from 'node:crypto';
import { apiV3KeyOf, encryptSensitive } from './aead.js';
import { parseTradeBill, type TradeBillRow, type TradeBillSummary } from './bill.js';
import {
  WechatPayApiError,
  WechatPayProtocolError,
  WechatPayTimeoutError,
  WechatPayTransportError,
  WechatPayVerificationError,
} from './errors.js';
import { openNotification, type IncomingNotification, type WechatPayEvent } from './notification.js';
import { authorization, paySheetParams, privateKeyOf, unixSeconds, type KeyInput, type PaySheetParams } from './sign.js';
import type { BillAnswer, BillType, JsapiPrepayRequest, Refund, RefundRequest, Transaction } from './types.js';
import { PlatformVerifier, signedHeadersOf, type PlatformKeys } from './verify.js';

export const WECHATPAY_API_BASE = 'https://api.mch.weixin.qq.com';

export interface WechatPayClientOptions {
  mchid: string;
  /** The mini-program's app id, bound to the merchant: prepays and pay sheets are made for it. */
  appid: string;
  /** The serial number of the merchant API certificate (商户API证书序列号). */
  merchantSerialNo: string;
  /** The merchant API private key (apiclient_key.pem). */
  merchantPrivateKey: KeyInput;
  /** The platform's public key and/or certificates the answers and notifications are verified with. */
  platform: PlatformKeys;
  /** 32 bytes, set by the merchant on the platform; decrypts notification resources. */
  apiV3Key: string | Buffer;
  /** Where payment notifications go; a refund may name its own. */
  notifyUrl: string;
  /** Defaults to the platform's; tests point it at the simulator. */
  baseUrl?: string;
  /** Per-call default; each method takes its own. The platform answers within a few hundred ms when healthy. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => Date;
}

export interface CallOptions {
  timeoutMs?: number;
}

export interface WechatPayResponse<T> {
  status: number;
  data: T;
  requestId: string | null;
}

export interface RequestOptions extends CallOptions {
  /** Set when the body carries fields encrypted with `encryptSensitive`: names the platform key they were encrypted to. */
  wechatpaySerial?: string;
}

/**
 * One merchant's API v3 client, on `fetch` and `node:crypto` only. Every call is signed with the
 * merchant key, bounded by a timeout, and its answer verified with the platform key before it is
 * believed; failures are typed (errors.ts) so a caller can tell "refused" from "unknown".
 */
export class WechatPayClient {
  readonly mchid: string;
  readonly appid: string;
  readonly notifyUrl: string;
  readonly verifier: PlatformVerifier;
  private readonly serialNo: string;
  private readonly key: KeyObject;
  private readonly apiV3Key: Buffer;
  private readonly base: URL;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;
  private readonly now: () => Date;

  constructor(o: WechatPayClientOptions) {
    if (!/^\d{1,32}$/.test(o.mchid)) throw new TypeError('mchid is the merchant number, digits only');
    this.mchid = o.mchid;
    this.appid = o.appid;
    this.notifyUrl = o.notifyUrl;
    this.serialNo = o.merchantSerialNo;
    this.key = privateKeyOf(o.merchantPrivateKey);
    this.verifier = new PlatformVerifier(o.platform);
    this.apiV3Key = apiV3KeyOf(o.apiV3Key);
    this.base = new URL(o.baseUrl ?? WECHATPAY_API_BASE);
    this.timeoutMs = o.timeoutMs ?? 10_000;
    this.fetchFn = o.fetch ?? globalThis.fetch;
    this.now = o.now ?? (() => new Date());
  }

  /**
   * Any v3 call, signed and verified: what the named methods use, and what other APIs on the same
   * merchant (the merchant transfer, `POST /v3/fund-app/mch-transfer/transfer-bills`) build on.
   * `path` is the platform path with its query, e.g. `/v3/pay/transactions/out-trade-no/x?mchid=1`.
   */
  async request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, opts: RequestOptions = {}): Promise<WechatPayResponse<T>> {
    const url = new URL(path, this.base);
    const res = await this.send(method, url, body === undefined ? '' : JSON.stringify(body), opts);
    const text = await this.readBody(res, method, path, opts);
    const requestId = res.headers.get('request-id');
    const signed = signedHeadersOf(res.headers);
    try {
      this.verifier.verify(signed, text, this.now());
    } catch (e) {
      // An unsigned 5xx comes from a gateway in front of the platform, not the platform: the
      // outcome is unknown either way, and a 5xx error says so without claiming a forgery.
      if (!(res.status >= 500 && !signed)) throw e;
    }
    if (res.status >= 200 && res.status < 300) {
      if (!text) return { status: res.status, data: undefined as T, requestId };
      try {
        return { status: res.status, data: JSON.parse(text) as T, requestId };
      } catch {
        throw new WechatPayProtocolError(`${method} ${path}: a ${res.status} answer that is not JSON`);
      }
    }
    throw apiErrorOf(res.status, text, requestId);
  }

  /** JSAPI / mini-program prepay. Repeating it with the same out_trade_no and fields answers the same prepay_id. */
  async jsapiPrepay(
    input: Omit<JsapiPrepayRequest, 'appid' | 'mchid' | 'notify_url'> & { notify_url?: string },
    opts?: CallOptions,
  ): Promise<{ prepayId: string; paySheet: PaySheetParams }> {
    const body: JsapiPrepayRequest = { appid: this.appid, mchid: this.mchid, notify_url: this.notifyUrl, ...input };
    const { data } = await this.request<{ prepay_id?: string }>('POST', '/v3/pay/transactions/jsapi', body, opts);
    if (!data?.prepay_id) throw new WechatPayProtocolError('the prepay answer has no prepay_id');
    return { prepayId: data.prepay_id, paySheet: this.paySheet(data.prepay_id) };
  }

  /** The pay sheet's parameters for a prepay, signed now with the merchant key. A new sheet for the same prepay is fine. */
  paySheet(prepayId: string): PaySheetParams {
    return paySheetParams({ appId: this.appid, prepayId, privateKey: this.key, at: this.now() });
  }

  /** Throws WechatPayApiError 404 ORDER_NOT_EXIST for a number the platform never saw. */
  async queryByOutTradeNo(outTradeNo: string, opts?: CallOptions): Promise<Transaction> {
    const path = `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${this.mchid}`;
    return (await this.request<Transaction>('GET', path, undefined, opts)).data;
  }

  /** Closes an unpaid order (204). A paid one answers 400 ORDERPAID: the buyer paid after all, and must be credited or refunded. */
  async closeByOutTradeNo(outTradeNo: string, opts?: CallOptions): Promise<void> {
    const path = `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}/close`;
    await this.request<void>('POST', path, { mchid: this.mchid }, opts);
  }

  /** Asks for a refund; usually answers PROCESSING, and the outcome comes by REFUND.* notification or queryRefund. */
  async refund(input: RefundRequest, opts?: CallOptions): Promise<Refund> {
    return (await this.request<Refund>('POST', '/v3/refund/domestic/refunds', input, opts)).data;
  }

  /** Throws WechatPayApiError 404 RESOURCE_NOT_EXISTS for an out_refund_no the platform never accepted. */
  async queryRefund(outRefundNo: string, opts?: CallOptions): Promise<Refund> {
    return (await this.request<Refund>('GET', `/v3/refund/domestic/refunds/${encodeURIComponent(outRefundNo)}`, undefined, opts)).data;
  }

  /** Where to download one day's bill (`billDate` is a Beijing-time day, yyyy-MM-dd). */
  async tradeBill(billDate: string, billType: BillType = 'ALL', opts?: CallOptions): Promise<BillAnswer> {
    const path = `/v3/bill/tradebill?bill_date=${encodeURIComponent(billDate)}&bill_type=${billType}`;
    return (await this.request<BillAnswer>('GET', path, undefined, opts)).data;
  }

  /**
   * Downloads a bill. The download is signed like any call but its answer is not: its integrity is
   * the SHA1 the bill answer gave, checked here. The signed request only goes to the API's own origin.
   */
  async downloadBill(bill: BillAnswer, opts: CallOptions = {}): Promise<string> {
    const url = new URL(bill.download_url);
    if (url.origin !== this.base.origin) {
      throw new WechatPayProtocolError(`refusing to send a signed request to ${url.origin}, not the API's origin`);
    }
    const path = url.pathname + url.search;
    const res = await this.send('GET', url, '', opts);
    const bytes = Buffer.from(await this.readBytes(res, 'GET', path, opts));
    if (res.status !== 200) throw apiErrorOf(res.status, bytes.toString('utf8'), res.headers.get('request-id'));
    const digest = createHash('sha1').update(bytes).digest('hex');
    if (bill.hash_type !== 'SHA1' || digest !== bill.hash_value.toLowerCase()) {
      throw new WechatPayVerificationError('bad-signature', 'the downloaded bill does not match its SHA1');
    }
    return bytes.toString('utf8');
  }

  /** tradeBill, then downloadBill, then parse: one day's payments and refunds as the platform counts them. */
  async fetchTradeBill(billDate: string, billType: BillType = 'ALL', opts?: CallOptions): Promise<{ rows: TradeBillRow[]; summary: TradeBillSummary }> {
    return parseTradeBill(await this.downloadBill(await this.tradeBill(billDate, billType, opts), opts));
  }

  /** Verifies and decrypts a notification (see notification.ts for how to answer). */
  openNotification(n: IncomingNotification): WechatPayEvent {
    return openNotification(n, { verifier: this.verifier, apiV3Key: this.apiV3Key, now: this.now() });
  }

  /** Encrypts a sensitive field to the platform key; send the request with `wechatpaySerial: this.verifier.preferredSerial`. */
  encryptSensitive(plaintext: string): { ciphertext: string; serial: string } {
    const serial = this.verifier.preferredSerial;
    return { ciphertext: encryptSensitive(this.verifier.keyFor(serial)!, plaintext), serial };
  }

  private async send(method: string, url: URL, body: string, opts: RequestOptions): Promise<Response> {
    const path = url.pathname + url.search;
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': 'jizan-wechatpay/1 (node)',
      Authorization: authorization({
        mchid: this.mchid,
        serialNo: this.serialNo,
        privateKey: this.key,
        method,
        pathAndQuery: path,
        body,
        timestamp: unixSeconds(this.now()),
      }),
    };
    if (body) headers['Content-Type'] = 'application/json';
    if (opts.wechatpaySerial) headers['Wechatpay-Serial'] = opts.wechatpaySerial;
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    try {
      return await this.fetchFn(url, { method, headers, body: body || undefined, signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      throw this.transportError(e, method, path, timeoutMs);
    }
  }

  // The timeout covers the body too: a platform that sends headers and then stalls is as unknown as one that never answers.
  private async readBody(res: Response, method: string, path: string, opts: CallOptions): Promise<string> {
    return Buffer.from(await this.readBytes(res, method, path, opts)).toString('utf8');
  }

  private async readBytes(res: Response, method: string, path: string, opts: CallOptions): Promise<ArrayBuffer> {
    try {
      return await res.arrayBuffer();
    } catch (e) {
      throw this.transportError(e, method, path, opts.timeoutMs ?? this.timeoutMs);
    }
  }

  private transportError(e: unknown, method: string, path: string, timeoutMs: number): Error {
    const name = (e as { name?: string } | null)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') return new WechatPayTimeoutError(method, path, timeoutMs);
    return new WechatPayTransportError(method, path, e);
  }
}

function apiErrorOf(status: number, text: string, requestId: string | null): WechatPayApiError {
  let parsed: { code?: unknown; message?: unknown; detail?: unknown } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // A gateway's HTML page: keep the status, name no platform code.
  }
  const code = typeof parsed.code === 'string' ? parsed.code : status >= 500 ? 'SYSTEM_ERROR' : 'HTTP_' + status;
  const message = typeof parsed.message === 'string' ? parsed.message : text.slice(0, 200);
  return new WechatPayApiError(status, code, message, requestId, parsed.detail as WechatPayApiError['detail']);
}
