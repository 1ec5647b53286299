/**
 * The platform's own shapes, field for field (snake_case, amounts in fen), for the calls the group
 * buy makes. Only what we send or read is typed; the platform may add fields, so answers are
 * read leniently and never re-serialised as if complete.
 */

export interface Amount {
  /** Fen. */
  total: number;
  currency?: 'CNY';
}

export interface JsapiPrepayRequest {
  appid: string;
  mchid: string;
  /** Shown on the buyer's bill; at most 127 characters. */
  description: string;
  /** 6–32 of [0-9A-Za-z_-|*], unique per merchant; reused on retry so a retried prepay cannot charge twice. */
  out_trade_no: string;
  /** RFC 3339 with offset, e.g. 2026-05-20T13:29:35+08:00: the last moment the buyer can pay. */
  time_expire?: string;
  attach?: string;
  notify_url: string;
  amount: Amount;
  payer: { openid: string };
}

export interface PrepayAnswer {
  prepay_id: string;
}

export type TradeState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';

/** What an order query answers and what a TRANSACTION.SUCCESS notification's resource decrypts to. */
export interface Transaction {
  appid: string;
  mchid: string;
  out_trade_no: string;
  /** Absent until paid. */
  transaction_id?: string;
  trade_type?: 'JSAPI' | 'NATIVE' | 'APP' | 'MICROPAY' | 'MWEB' | 'FACEPAY';
  trade_state: TradeState;
  trade_state_desc: string;
  bank_type?: string;
  attach?: string;
  success_time?: string;
  payer?: { openid: string };
  amount?: { total?: number; payer_total?: number; currency?: string; payer_currency?: string };
}

export interface RefundRequest {
  /** One of transaction_id and out_trade_no identifies the paid order. */
  transaction_id?: string;
  out_trade_no?: string;
  /** Unique per merchant, at most 64; asking again with the same one never refunds twice. */
  out_refund_no: string;
  reason?: string;
  notify_url?: string;
  amount: { refund: number; total: number; currency: 'CNY' };
}

export type RefundStatus = 'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL';

/** What refund and query-refund answer. */
export interface Refund {
  refund_id: string;
  out_refund_no: string;
  transaction_id: string;
  out_trade_no: string;
  channel: 'ORIGINAL' | 'BALANCE' | 'OTHER_BALANCE' | 'OTHER_BANKCARD';
  user_received_account: string;
  success_time?: string;
  create_time: string;
  status: RefundStatus;
  funds_account?: string;
  amount: {
    total: number;
    refund: number;
    payer_total: number;
    payer_refund: number;
    settlement_refund?: number;
    settlement_total?: number;
    discount_refund?: number;
    currency: string;
  };
}

/** A REFUND.* notification's resource: note `refund_status`, where the query answer says `status`. */
export interface RefundNotice {
  mchid: string;
  out_trade_no: string;
  transaction_id: string;
  out_refund_no: string;
  refund_id: string;
  refund_status: Exclude<RefundStatus, 'PROCESSING'>;
  success_time?: string;
  user_received_account: string;
  amount: { total: number; refund: number; payer_total: number; payer_refund: number };
}

export type BillType = 'ALL' | 'SUCCESS' | 'REFUND';

export interface BillAnswer {
  hash_type: 'SHA1';
  hash_value: string;
  download_url: string;
}
