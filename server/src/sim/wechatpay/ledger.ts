import { randomInt } from 'node:crypto';
import { TRADE_BILL_HEADER, TRADE_BILL_SUMMARY_HEADER, yuanOf } from '../../lib/wechatpay/bill.js';
import type { JsapiPrepayRequest, Refund, RefundNotice, RefundRequest, RefundStatus, TradeState, Transaction } from '../../lib/wechatpay/types.js';

/**
 * The simulated platform's books: orders by out_trade_no and refunds by out_refund_no, moving
 * only the ways the platform's do (NOTPAY → SUCCESS | CLOSED, SUCCESS → REFUND once refunded;
 * a refund PROCESSING → SUCCESS | ABNORMAL | CLOSED). Each refusal is the platform's status and
 * code, so the client sees what it would see in production.
 */

export interface SimError {
  status: number;
  code: string;
  message: string;
}

export interface SimTransaction {
  request: JsapiPrepayRequest;
  prepayId: string;
  createdAt: Date;
  state: TradeState;
  transactionId?: string;
  successAt?: Date;
  refunded: number;
}

export interface SimRefund {
  refundId: string;
  outRefundNo: string;
  outTradeNo: string;
  transactionId: string;
  refund: number;
  total: number;
  notifyUrl?: string;
  status: RefundStatus;
  createdAt: Date;
  successAt?: Date;
}

const err = (status: number, code: string, message: string): SimError => ({ status, code, message });
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
const OUT_NO = /^[0-9A-Za-z_\-|*]{6,32}$/;
const OUT_REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;

/** RFC 3339 in Beijing time, the offset the platform writes. */
export function beijingTime(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00';
}

const beijingBillTime = (d: Date) => beijingTime(d).slice(0, 19).replace('T', ' ');
const beijingDay = (d: Date) => beijingTime(d).slice(0, 10);

export class SimLedger {
  readonly transactions = new Map<string, SimTransaction>();
  readonly refunds = new Map<string, SimRefund>();
  /** What the merchant's balance can refund; `null` is unlimited. Set low to get NOT_ENOUGH. */
  refundableBalance: number | null = null;

  constructor(private readonly merchant: { mchid: string; appid: string }) {}

  prepay(req: JsapiPrepayRequest, now: Date): SimTransaction | SimError {
    const bad = this.checkPrepay(req);
    if (bad) return bad;
    const existing = this.transactions.get(req.out_trade_no);
    if (existing) {
      if (existing.state === 'SUCCESS' || existing.state === 'REFUND') return err(400, 'ORDERPAID', '该订单已支付');
      if (existing.state === 'CLOSED') return err(400, 'ORDER_CLOSED', '订单已关闭');
      const same = JSON.stringify({ ...existing.request, time_expire: undefined }) === JSON.stringify({ ...req, time_expire: undefined });
      // The platform answers the same prepay for a repeated identical order, and refuses a changed one.
      return same ? existing : err(403, 'OUT_TRADE_NO_USED', '商户订单号重复');
    }
    const t: SimTransaction = { request: req, prepayId: `wx${digits(26)}`, createdAt: now, state: 'NOTPAY', refunded: 0 };
    this.transactions.set(req.out_trade_no, t);
    return t;
  }

  private checkPrepay(r: JsapiPrepayRequest): SimError | null {
    const param = (m: string) => err(400, 'PARAM_ERROR', m);
    if (r?.mchid !== this.merchant.mchid) return err(400, 'MCH_NOT_EXISTS', '商户号不存在');
    if (r.appid !== this.merchant.appid) return err(400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
    if (typeof r.description !== 'string' || r.description.length < 1 || r.description.length > 127) return param('description 长度应为1-127');
    if (typeof r.out_trade_no !== 'string' || !OUT_NO.test(r.out_trade_no)) return param('out_trade_no 应为6-32位数字、字母或_-|*');
    if (typeof r.notify_url !== 'string' || !/^https?:\/\/[^?#]+$/.test(r.notify_url)) return param('notify_url 格式错误');
    if (!Number.isInteger(r.amount?.total) || r.amount.total < 1) return param('amount.total 应为正整数(分)');
    if (r.amount.currency !== undefined && r.amount.currency !== 'CNY') return param('amount.currency 仅支持CNY');
    if (typeof r.payer?.openid !== 'string' || !r.payer.openid) return param('payer.openid 不能为空');
    if (r.time_expire !== undefined && Number.isNaN(Date.parse(r.time_expire))) return param('time_expire 应为rfc3339格式');
    return null;
  }

  /** The buyer paid in the sheet. Refused for an order that is not payable, as the sheet would refuse it. */
  pay(outTradeNo: string, now: Date): SimTransaction | SimError {
    const t = this.transactions.get(outTradeNo);
    if (!t) return err(404, 'ORDER_NOT_EXIST', '订单不存在');
    if (t.state !== 'NOTPAY') return err(400, t.state === 'CLOSED' ? 'ORDER_CLOSED' : 'ORDERPAID', `订单状态为${t.state}`);
    if (t.request.time_expire && Date.parse(t.request.time_expire) < now.getTime()) return err(400, 'ORDER_CLOSED', '订单已过支付截止时间');
    t.state = 'SUCCESS';
    t.successAt = now;
    t.transactionId = `42000${digits(23)}`;
    return t;
  }

  close(outTradeNo: string, mchid: unknown): SimError | null {
    if (mchid !== this.merchant.mchid) return err(400, 'PARAM_ERROR', 'mchid 与订单不符');
    const t = this.transactions.get(outTradeNo);
    if (!t) return err(404, 'ORDER_NOT_EXIST', '订单不存在');
    if (t.state === 'SUCCESS' || t.state === 'REFUND') return err(400, 'ORDERPAID', '订单已支付，不能关闭');
    t.state = 'CLOSED';
    return null;
  }

  refund(r: RefundRequest, now: Date): SimRefund | SimError {
    const param = (m: string) => err(400, 'PARAM_ERROR', m);
    if (typeof r?.out_refund_no !== 'string' || !OUT_REFUND_NO.test(r.out_refund_no)) return param('out_refund_no 格式错误');
    if (!Number.isInteger(r.amount?.refund) || r.amount.refund < 1) return param('amount.refund 应为正整数(分)');
    if (!Number.isInteger(r.amount?.total) || r.amount.currency !== 'CNY') return param('amount.total 和 amount.currency 必填');
    const t = r.out_trade_no
      ? this.transactions.get(r.out_trade_no)
      : [...this.transactions.values()].find((x) => x.transactionId && x.transactionId === r.transaction_id);
    if (!t || !t.transactionId) return err(404, 'RESOURCE_NOT_EXISTS', '订单不存在或未支付');
    const existing = this.refunds.get(r.out_refund_no);
    if (existing) {
      // Asking again with the same refund number answers the same refund: that is what makes retries safe.
      if (existing.outTradeNo !== t.request.out_trade_no || existing.refund !== r.amount.refund) return err(400, 'INVALID_REQUEST', '退款单号已用于其他退款');
      return existing;
    }
    if (r.amount.total !== t.request.amount.total) return err(400, 'INVALID_REQUEST', '订单金额与原订单不符');
    if (t.refunded + r.amount.refund > t.request.amount.total) return err(400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额');
    if (this.refundableBalance !== null && this.refundableBalance < r.amount.refund) return err(403, 'NOT_ENOUGH', '基本账户余额不足，请充值后重新发起');
    if (this.refundableBalance !== null) this.refundableBalance -= r.amount.refund;
    t.refunded += r.amount.refund;
    t.state = 'REFUND';
    const refund: SimRefund = {
      refundId: `50${digits(27)}`,
      outRefundNo: r.out_refund_no,
      outTradeNo: t.request.out_trade_no,
      transactionId: t.transactionId,
      refund: r.amount.refund,
      total: r.amount.total,
      ...(r.notify_url ? { notifyUrl: r.notify_url } : {}),
      status: 'PROCESSING',
      createdAt: now,
    };
    this.refunds.set(r.out_refund_no, refund);
    return refund;
  }

  /** The refund's outcome. A CLOSED or ABNORMAL one gives the amount back to what may still be refunded. */
  settleRefund(outRefundNo: string, status: Exclude<RefundStatus, 'PROCESSING'>, now: Date): SimRefund | SimError {
    const r = this.refunds.get(outRefundNo);
    if (!r) return err(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
    if (r.status !== 'PROCESSING' && r.status !== 'ABNORMAL') return err(400, 'INVALID_REQUEST', `退款状态为${r.status}`);
    r.status = status;
    if (status === 'SUCCESS') r.successAt = now;
    if (status !== 'SUCCESS') this.transactions.get(r.outTradeNo)!.refunded -= r.refund;
    return r;
  }

  transactionView(t: SimTransaction): Transaction {
    const paid = t.state !== 'NOTPAY' && t.state !== 'CLOSED';
    const desc: Record<string, string> = { SUCCESS: '支付成功', REFUND: '转入退款', NOTPAY: '未支付', CLOSED: '已关闭' };
    return {
      appid: t.request.appid,
      mchid: t.request.mchid,
      out_trade_no: t.request.out_trade_no,
      ...(paid ? { transaction_id: t.transactionId!, trade_type: 'JSAPI' as const, bank_type: 'OTHERS', success_time: beijingTime(t.successAt!) } : {}),
      trade_state: t.state,
      trade_state_desc: desc[t.state] ?? t.state,
      ...(t.request.attach !== undefined ? { attach: t.request.attach } : {}),
      ...(paid ? { payer: { openid: t.request.payer.openid } } : {}),
      amount: paid
        ? { total: t.request.amount.total, payer_total: t.request.amount.total, currency: 'CNY', payer_currency: 'CNY' }
        : { payer_currency: 'CNY' },
    };
  }

  refundView(r: SimRefund): Refund {
    return {
      refund_id: r.refundId,
      out_refund_no: r.outRefundNo,
      transaction_id: r.transactionId,
      out_trade_no: r.outTradeNo,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      ...(r.successAt ? { success_time: beijingTime(r.successAt) } : {}),
      create_time: beijingTime(r.createdAt),
      status: r.status,
      funds_account: 'AVAILABLE',
      amount: {
        total: r.total, refund: r.refund, payer_total: r.total, payer_refund: r.refund,
        settlement_refund: r.refund, settlement_total: r.total, discount_refund: 0, currency: 'CNY',
      },
    };
  }

  refundNotice(r: SimRefund): RefundNotice {
    return {
      mchid: this.merchant.mchid,
      out_trade_no: r.outTradeNo,
      transaction_id: r.transactionId,
      out_refund_no: r.outRefundNo,
      refund_id: r.refundId,
      refund_status: r.status as RefundNotice['refund_status'],
      ...(r.successAt ? { success_time: beijingTime(r.successAt) } : {}),
      user_received_account: '支付用户零钱',
      amount: { total: r.total, refund: r.refund, payer_total: r.total, payer_refund: r.refund },
    };
  }

  /**
   * One Beijing-time day's trade bill in the platform's layout, or null when that day has no
   * line (the platform answers NO_STATEMENT_EXIST). Payments are on the day they succeeded,
   * refunds on the day they were accepted, with their status as of now.
   */
  tradeBillCsv(billDate: string, billType: 'ALL' | 'SUCCESS' | 'REFUND'): string | null {
    const q = (v: string | number) => '`' + String(v);
    const lines: string[] = [];
    let settlement = 0;
    let refunded = 0;
    let ordered = 0;
    let applied = 0;
    const base = (t: SimTransaction, at: Date, state: string) => [
      beijingBillTime(at), t.request.appid, t.request.mchid, '0', '', t.transactionId!, t.request.out_trade_no,
      t.request.payer.openid, 'JSAPI', state, 'OTHERS', 'CNY',
    ];
    if (billType !== 'REFUND') {
      for (const t of this.transactions.values()) {
        if (!t.successAt || beijingDay(t.successAt) !== billDate) continue;
        const total = t.request.amount.total;
        settlement += total;
        ordered += total;
        lines.push([...base(t, t.successAt, 'SUCCESS'), yuanOf(total), '0.00', '0', '0', '0.00', '0.00', '', '', t.request.description,
          t.request.attach ?? '', '0.00000', '0.60%', yuanOf(total), '0.00', ''].map(q).join(','));
      }
    }
    if (billType !== 'SUCCESS') {
      for (const r of this.refunds.values()) {
        if (beijingDay(r.createdAt) !== billDate) continue;
        const t = this.transactions.get(r.outTradeNo)!;
        refunded += r.refund;
        applied += r.refund;
        lines.push([...base(t, r.createdAt, 'REFUND'), '0.00', '0.00', r.refundId, r.outRefundNo, yuanOf(r.refund), '0.00', 'ORIGINAL', r.status,
          t.request.description, t.request.attach ?? '', '0.00000', '0.60%', '0.00', yuanOf(r.refund), ''].map(q).join(','));
      }
    }
    if (lines.length === 0) return null;
    const summary = [lines.length, yuanOf(settlement), yuanOf(refunded), '0.00', '0.00000', yuanOf(ordered), yuanOf(applied)].map(q).join(',');
    return [TRADE_BILL_HEADER.join(','), ...lines, TRADE_BILL_SUMMARY_HEADER.join(','), summary, ''].join('\r\n');
  }
}

export const isSimError = (x: unknown): x is SimError =>
  typeof x === 'object' && x !== null && 'code' in x && 'status' in x && typeof (x as SimError).status === 'number';
