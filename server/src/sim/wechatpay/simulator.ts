import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WechatPayClientOptions } from '../../lib/wechatpay/client.js';
import {
  nonceStr, parseAuthorization, paySheetMessage, requestMessage, responseMessage, signMessage, unixSeconds, verifyMessage,
  type PaySheetParams,
} from '../../lib/wechatpay/sign.js';
import type { JsapiPrepayRequest, RefundRequest, RefundStatus } from '../../lib/wechatpay/types.js';
import { generateSimKeys, type SimKeys } from './keys.js';
import { isSimError, SimLedger, type SimError } from './ledger.js';
import { SimNotifier, type Delivery, type NotificationTransport, type NotifyFault } from './notifier.js';
import { SimServer } from '../sim-server.js';

/**
 * A WeChat Pay API v3 platform in one process, faithful where a merchant can tell: it refuses
 * requests whose signature does not verify with the merchant key (401 SIGN_ERROR), signs every
 * answer with the platform key, keeps orders and refunds, answers the documented error codes,
 * serves the trade bill, and sends encrypted, signed notifications. Mount `handle` in any
 * node:http server, or `startWechatPaySimulator()` to listen on a port of its own.
 */

export type ApiFault = {
  method?: string;
  /** Matches the request path (with query); a string matches as a substring. */
  path?: string | RegExp;
  /** How many matching requests it applies to (default 1). */
  times?: number;
  /** Apply the request's effect first, then fail: the platform did it, the merchant cannot know. */
  applied?: boolean;
} & (
  | { kind: 'timeout' } // never answers
  | { kind: 'reset' } // drops the connection
  | { kind: 'status'; status?: number; code?: string } // a signed error, SYSTEM_ERROR 500 by default
  | { kind: 'gateway' } // an unsigned 502 page from a proxy in front of the platform
  | { kind: 'bad-signature' } // the right answer signed with a wrong key
  | { kind: 'slow'; delayMs: number } // answers, late
);

export interface WechatPaySimulatorOptions {
  keys?: SimKeys;
  /** How the platform signs: `public-key` (Wechatpay-Serial = PUB_KEY_ID_…) or `certificate` (a certificate serial). */
  mode?: 'public-key' | 'certificate';
  now?: () => Date;
  /** Send TRANSACTION.SUCCESS / REFUND.* on pay and settle (default true). */
  autoNotify?: boolean;
  /**
   * Settle every new refund SUCCESS just after answering it (PROCESSING), notification included,
   * for tests that are not about refunds; `settled()` waits for those.
   */
  autoSettleRefunds?: boolean;
  /** Delivers notifications in process instead of over HTTP (see NotificationTransport). */
  post?: NotificationTransport;
}

export type Answer = { status: number; body?: unknown; text?: string; signed?: boolean; contentType?: string };

/**
 * Another product on the same merchant (the merchant transfer, transfers.ts): its API paths,
 * signed and fault-injected like the rest, and its /__sim/ hooks. Null: not one of its paths.
 */
export interface SimExtension {
  route(method: string, path: string, json: unknown, now: Date): Answer | null;
  testHook?(path: string, body: Record<string, unknown>): Promise<Answer | null>;
}

const answer = (status: number, body?: unknown): Answer => ({ status, body });
const fail = (e: SimError): Answer => answer(e.status, { code: e.code, message: e.message });
const SKEW_SECONDS = 300;

export class WechatPaySimulator extends SimServer {
  readonly keys: SimKeys;
  readonly ledger: SimLedger;
  readonly notifier: SimNotifier;
  readonly faults: ApiFault[] = [];
  readonly extensions: SimExtension[] = [];
  /** Every API request seen, for tests that assert what was asked (and how often). */
  readonly requests: { method: string; path: string; status: number }[] = [];
  private readonly mode: 'public-key' | 'certificate';
  private readonly now: () => Date;
  private readonly autoNotify: boolean;
  private readonly autoSettleRefunds: boolean;
  private readonly background = new Set<Promise<unknown>>();
  private readonly bills = new Map<string, Buffer>();
  private readonly wrongKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

  constructor(opts: WechatPaySimulatorOptions = {}) {
    super();
    this.keys = opts.keys ?? generateSimKeys();
    this.mode = opts.mode ?? 'public-key';
    this.now = opts.now ?? (() => new Date());
    this.autoNotify = opts.autoNotify ?? true;
    this.autoSettleRefunds = opts.autoSettleRefunds ?? false;
    this.ledger = new SimLedger({ mchid: this.keys.mchid, appid: this.keys.appid });
    this.notifier = new SimNotifier(this.keys, () => this.serial, this.now, opts.post);
  }

  /** The serial the platform signs under: what Wechatpay-Serial says. */
  get serial(): string {
    return this.mode === 'certificate' ? this.keys.certificateSerial : this.keys.publicKeyId;
  }

  /** What a merchant configured for this simulator passes to `new WechatPayClient(…)`. */
  clientOptions(notifyUrl: string, over: Partial<WechatPayClientOptions> = {}): WechatPayClientOptions {
    return {
      mchid: this.keys.mchid,
      appid: this.keys.appid,
      merchantSerialNo: this.keys.merchantSerialNo,
      merchantPrivateKey: this.keys.merchantPrivateKey,
      platform:
        this.mode === 'certificate'
          ? { certificates: { [this.keys.certificateSerial]: this.keys.platformPublicKey } }
          : { publicKeyId: this.keys.publicKeyId, publicKey: this.keys.platformPublicKey },
      apiV3Key: this.keys.apiV3Key,
      notifyUrl,
      baseUrl: this.url,
      ...over,
    };
  }

  /**
   * The buyer paid in the pay sheet: the order becomes SUCCESS and TRANSACTION.SUCCESS goes to
   * its notify_url. Resolves with the delivery (see its attempts and `acknowledged`).
   */
  async pay(outTradeNo: string): Promise<Delivery | null> {
    const t = this.ledger.pay(outTradeNo, this.now());
    if (isSimError(t)) throw new Error(`cannot pay ${outTradeNo}: ${t.code} ${t.message}`);
    if (!this.autoNotify) return null;
    return this.notifier.emit(t.request.notify_url, 'TRANSACTION.SUCCESS', '支付成功', 'transaction', this.ledger.transactionView(t));
  }

  /**
   * What the chat app does with `requestPayment(params)`: checks paySign with the merchant's key
   * over the app id the prepay was made for, then pays. Answers the sheet's errMsg.
   */
  async requestPayment(params: PaySheetParams & { appId?: string }): Promise<{ errMsg: string; delivery?: Delivery | null }> {
    const prepayId = params.package?.startsWith('prepay_id=') ? params.package.slice('prepay_id='.length) : '';
    const t = [...this.ledger.transactions.values()].find((x) => x.prepayId === prepayId);
    if (!t) return { errMsg: 'requestPayment:fail prepay_id not found' };
    const message = paySheetMessage(params.appId ?? t.request.appid, params.timeStamp, params.nonceStr, params.package);
    if (params.signType !== 'RSA' || !verifyMessage(this.keys.merchantPublicKey, message, params.paySign)) {
      return { errMsg: 'requestPayment:fail 支付验证签名失败' };
    }
    if (t.state !== 'NOTPAY') return { errMsg: `requestPayment:fail ${t.state === 'CLOSED' ? '订单已关闭' : '该订单已支付'}` };
    const delivery = await this.pay(t.request.out_trade_no);
    return { errMsg: 'requestPayment:ok', delivery };
  }

  /** A refund's outcome, with its REFUND.SUCCESS / .ABNORMAL / .CLOSED notification to the refund's notify_url (or the order's). */
  async settleRefund(outRefundNo: string, status: Exclude<RefundStatus, 'PROCESSING'>): Promise<Delivery | null> {
    const r = this.ledger.settleRefund(outRefundNo, status, this.now());
    if (isSimError(r)) throw new Error(`cannot settle ${outRefundNo}: ${r.code} ${r.message}`);
    if (!this.autoNotify) return null;
    const url = r.notifyUrl ?? this.ledger.transactions.get(r.outTradeNo)!.request.notify_url;
    const summary = { SUCCESS: '退款成功', ABNORMAL: '退款异常', CLOSED: '退款关闭' }[status];
    return this.notifier.emit(url, `REFUND.${status}`, summary, 'refund', this.ledger.refundNotice(r));
  }

  /** Resolves when the work the simulator started on its own (auto-settled refunds and their notifications) is done. */
  async settled(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  // After the answer is written, as the platform settles a refund after accepting it.
  private later(work: () => Promise<unknown>): void {
    const p = new Promise((r) => setImmediate(r)).then(work).catch(() => undefined);
    this.background.add(p);
    void p.finally(() => this.background.delete(p));
  }

  /** The node:http listener: mount it anywhere the platform's paths can reach it. */
  override async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    if (path.startsWith('/__sim/')) {
      this.send(res, { ...(await this.testHook(method, path, body)), signed: false }, false);
      return;
    }
    const fault = this.takeFault(method, path);
    const before = fault && !fault.applied ? fault : undefined;
    if (before && this.failBefore(before, res)) return;
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs));
    const failed = (f: ApiFault & { kind: 'status' }) => answer(f.status ?? 500, { code: f.code ?? 'SYSTEM_ERROR', message: '系统繁忙，请稍后重试' });
    let out: Answer;
    if (before?.kind === 'status') out = failed(before);
    else {
      try {
        out = this.authenticate(req, method, path, body) ?? this.route(method, path, body);
      } catch {
        out = answer(500, { code: 'SYSTEM_ERROR', message: '系统错误' });
      }
    }
    if (fault?.applied) {
      if (this.failBefore(fault, res)) return;
      if (fault.kind === 'status') out = failed(fault);
    }
    this.requests.push({ method, path, status: out.status });
    this.send(res, out, fault?.kind === 'bad-signature');
  }

  /**
   * The test hooks over HTTP, for a simulator in another process (pnpm start, the browser test):
   * POST /__sim/request-payment {pay-sheet params} is the pay sheet; /__sim/pay {out_trade_no};
   * /__sim/settle-refund {out_refund_no, status}; /__sim/faults {ApiFault, path as a substring};
   * /__sim/notify-faults {faults: NotifyFault[]}; /__sim/redeliver; /__sim/release-held {reverse}.
   */
  private async testHook(method: string, path: string, raw: string): Promise<Answer> {
    if (method !== 'POST') return answer(405, { code: 'METHOD_NOT_ALLOWED', message: 'test hooks are POST' });
    let b: Record<string, unknown>;
    try {
      b = JSON.parse(raw || '{}') as Record<string, unknown>;
    } catch {
      return answer(400, { code: 'PARAM_ERROR', message: 'not JSON' });
    }
    const done = (d: Delivery | Delivery[] | null) => answer(200, { deliveries: [d ?? []].flat().map((x) => ({ id: x.id, acknowledged: x.acknowledged, attempts: x.attempts.length })) });
    try {
      switch (path) {
        case '/__sim/request-payment': {
          const { errMsg } = await this.requestPayment(b as unknown as PaySheetParams & { appId?: string });
          return answer(errMsg.endsWith(':ok') ? 200 : 400, { errMsg });
        }
        case '/__sim/pay':
          return done(await this.pay(String(b.out_trade_no)));
        case '/__sim/settle-refund':
          return done(await this.settleRefund(String(b.out_refund_no), b.status as 'SUCCESS'));
        case '/__sim/faults':
          this.faults.push(b as unknown as ApiFault);
          return answer(204);
        case '/__sim/notify-faults':
          this.notifier.faults.push(...((b.faults ?? []) as NotifyFault[]));
          return answer(204);
        case '/__sim/redeliver':
          return done(await this.notifier.redeliver());
        case '/__sim/release-held':
          return done(await this.notifier.releaseHeld({ reverse: b.reverse === true }));
        default:
          for (const x of this.extensions) {
            const a = await x.testHook?.(path, b);
            if (a) return a;
          }
          return answer(404, { code: 'NOT_FOUND', message: path });
      }
    } catch (e) {
      return answer(409, { code: 'SIM_REFUSED', message: e instanceof Error ? e.message : String(e) });
    }
  }

  private takeFault(method: string, path: string): ApiFault | undefined {
    const i = this.faults.findIndex(
      (f) =>
        (!f.method || f.method.toUpperCase() === method) &&
        (!f.path || (typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path))),
    );
    if (i < 0) return undefined;
    const f = this.faults[i]!;
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) this.faults.splice(i, 1);
    return f;
  }

  /** Carries out the faults that mean no (usable) answer; true when the response is taken care of. */
  private failBefore(f: ApiFault, res: ServerResponse): boolean {
    if (f.kind === 'timeout') return true; // the socket stays open until the client gives up or close()
    if (f.kind === 'reset') {
      res.socket?.destroy();
      return true;
    }
    if (f.kind === 'gateway') {
      res.writeHead(502, { 'Content-Type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>');
      return true;
    }
    return false;
  }

  private authenticate(req: IncomingMessage, method: string, path: string, body: string): Answer | null {
    const a = parseAuthorization(req.headers.authorization);
    const signError = (message: string) => answer(401, { code: 'SIGN_ERROR', message });
    if (!a) return signError('Authorization 头缺失或格式错误');
    if (a.mchid !== this.keys.mchid) return signError('商户号与签名不匹配');
    if (a.serial_no.toUpperCase() !== this.keys.merchantSerialNo) return signError('商户证书序列号有误');
    if (!/^\d+$/.test(a.timestamp) || Math.abs(this.now().getTime() / 1000 - Number(a.timestamp)) > SKEW_SECONDS) {
      return signError('请求时间戳与服务器时间相差过大');
    }
    if (!verifyMessage(this.keys.merchantPublicKey, requestMessage(method, path, a.timestamp, a.nonce_str, body), a.signature)) {
      return signError('签名错误，请检查后再试');
    }
    return null;
  }

  private route(method: string, path: string, raw: string): Answer {
    const url = new URL(path, 'http://sim');
    const p = url.pathname;
    let json: unknown = undefined;
    if (raw) {
      try {
        json = JSON.parse(raw);
      } catch {
        return answer(400, { code: 'PARAM_ERROR', message: '请求体不是有效的JSON' });
      }
    }
    const now = this.now();
    const mchidQuery = () => (url.searchParams.get('mchid') === this.keys.mchid ? null : fail({ status: 400, code: 'PARAM_ERROR', message: 'mchid 缺失或与订单不符' }));
    let m: RegExpMatchArray | null;
    if (method === 'POST' && p === '/v3/pay/transactions/jsapi') {
      const t = this.ledger.prepay(json as JsapiPrepayRequest, now);
      return isSimError(t) ? fail(t) : answer(200, { prepay_id: t.prepayId });
    }
    if (method === 'GET' && (m = p.match(/^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/))) {
      const t = this.ledger.transactions.get(decodeURIComponent(m[1]!));
      return mchidQuery() ?? (t ? answer(200, this.ledger.transactionView(t)) : fail({ status: 404, code: 'ORDER_NOT_EXIST', message: '订单不存在' }));
    }
    if (method === 'GET' && (m = p.match(/^\/v3\/pay\/transactions\/id\/([^/]+)$/))) {
      const t = [...this.ledger.transactions.values()].find((x) => x.transactionId === m![1]);
      return mchidQuery() ?? (t ? answer(200, this.ledger.transactionView(t)) : fail({ status: 404, code: 'ORDER_NOT_EXIST', message: '订单不存在' }));
    }
    if (method === 'POST' && (m = p.match(/^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)\/close$/))) {
      const e = this.ledger.close(decodeURIComponent(m[1]!), (json as { mchid?: unknown } | undefined)?.mchid);
      return e ? fail(e) : answer(204);
    }
    if (method === 'POST' && p === '/v3/refund/domestic/refunds') {
      const r = this.ledger.refund(json as RefundRequest, now);
      if (isSimError(r)) return fail(r);
      if (this.autoSettleRefunds && r.status === 'PROCESSING') this.later(() => this.settleRefund(r.outRefundNo, 'SUCCESS'));
      return answer(200, this.ledger.refundView(r));
    }
    if (method === 'GET' && (m = p.match(/^\/v3\/refund\/domestic\/refunds\/([^/]+)$/))) {
      const r = this.ledger.refunds.get(decodeURIComponent(m[1]!));
      return r ? answer(200, this.ledger.refundView(r)) : fail({ status: 404, code: 'RESOURCE_NOT_EXISTS', message: '退款单不存在' });
    }
    if (method === 'GET' && p === '/v3/bill/tradebill') return this.tradeBill(url);
    if (method === 'GET' && p === '/v3/billdownload/file') {
      const bill = this.bills.get(url.searchParams.get('token') ?? '');
      if (!bill) return fail({ status: 400, code: 'PARAM_ERROR', message: '下载链接已失效' });
      // The platform does not sign a download: its integrity is the hash the bill answer gave.
      return { status: 200, text: bill.toString('utf8'), signed: false, contentType: 'application/octet-stream' };
    }
    for (const x of this.extensions) {
      const a = x.route(method, p, json, now);
      if (a) return a;
    }
    return answer(404, { code: 'NOT_FOUND', message: `${method} ${p} 不存在` });
  }

  private tradeBill(url: URL): Answer {
    const date = url.searchParams.get('bill_date') ?? '';
    const type = (url.searchParams.get('bill_type') ?? 'ALL') as 'ALL' | 'SUCCESS' | 'REFUND';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !['ALL', 'SUCCESS', 'REFUND'].includes(type)) {
      return fail({ status: 400, code: 'PARAM_ERROR', message: 'bill_date 应为yyyy-MM-DD, bill_type 应为ALL/SUCCESS/REFUND' });
    }
    const csv = this.ledger.tradeBillCsv(date, type);
    if (csv === null) return fail({ status: 400, code: 'NO_STATEMENT_EXIST', message: '账单日期当天无交易' });
    const bytes = Buffer.from(csv, 'utf8');
    const token = randomBytes(18).toString('base64url');
    this.bills.set(token, bytes);
    return answer(200, {
      hash_type: 'SHA1',
      hash_value: createHash('sha1').update(bytes).digest('hex'),
      download_url: `${this.url}/v3/billdownload/file?token=${token}`,
    });
  }

  private send(res: ServerResponse, out: Answer, forge: boolean): void {
    const text = out.text ?? (out.body === undefined ? '' : JSON.stringify(out.body));
    const headers: Record<string, string> = { 'Request-ID': randomUUID() };
    if (text) headers['Content-Type'] = out.contentType ?? 'application/json; charset=utf-8';
    if (out.signed !== false) {
      const timestamp = unixSeconds(this.now());
      const nonce = nonceStr();
      Object.assign(headers, {
        'Wechatpay-Timestamp': timestamp,
        'Wechatpay-Nonce': nonce,
        'Wechatpay-Serial': this.serial,
        'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
        'Wechatpay-Signature': signMessage(forge ? this.wrongKey : this.keys.platformPrivateKey, responseMessage(timestamp, nonce, text)),
      });
    }
    res.writeHead(out.status, headers).end(text);
  }
}

/** A simulator listening on its own port (0 picks a free one); close it when done. */
export async function startWechatPaySimulator(opts: WechatPaySimulatorOptions & { port?: number; host?: string } = {}): Promise<WechatPaySimulator> {
  const sim = new WechatPaySimulator(opts);
  await sim.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  return sim;
}
