import { WechatPayProtocolError } from './errors.js';

/**
 * The trade bill (交易账单) as the platform serves it: a detail header, one line per payment or
 * refund, a summary header and one summary line. Every data field starts with a backtick (so a
 * spreadsheet does not turn long numbers into exponents) and amounts are in yuan with two
 * decimals. Days are cut at 00:00 Beijing time: a payment at 23:30 UTC is on the next day's bill.
 * Only the 27-column ALL/SUCCESS/REFUND layout of an ordinary merchant is read here.
 */

export const TRADE_BILL_HEADER = [
  '交易时间', '公众账号ID', '商户号', '特约商户号', '设备号', '微信订单号', '商户订单号', '用户标识', '交易类型',
  '交易状态', '付款银行', '货币种类', '应结订单金额', '代金券金额', '微信退款单号', '商户退款单号', '退款金额',
  '充值券退款金额', '退款类型', '退款状态', '商品名称', '商户数据包', '手续费', '费率', '订单金额', '申请退款金额', '费率备注',
] as const;

export const TRADE_BILL_SUMMARY_HEADER = [
  '总交易单数', '应结订单总金额', '退款总金额', '充值券退款总金额', '手续费总金额', '订单总金额', '申请退款总金额',
] as const;

export interface TradeBillRow {
  /** Beijing time as written, `yyyy-MM-dd HH:mm:ss`. */
  tradeTime: string;
  appid: string;
  mchid: string;
  transactionId: string;
  outTradeNo: string;
  openid: string;
  tradeType: string;
  /** SUCCESS for a payment line, REFUND for a refund line (REVOKED for a revoked micropay). */
  tradeState: string;
  settlementTotalFen: number;
  refundId: string;
  outRefundNo: string;
  refundFen: number;
  refundStatus: string;
  description: string;
  attach: string;
  orderTotalFen: number;
  appliedRefundFen: number;
}

export interface TradeBillSummary {
  count: number;
  settlementTotalFen: number;
  refundTotalFen: number;
  orderTotalFen: number;
  appliedRefundTotalFen: number;
}

/** "12.30" → 1230, without a float on the way: a bill must reconcile to the fen. */
export function fenOf(yuan: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(yuan.trim());
  if (!m) throw new WechatPayProtocolError(`not an amount in yuan: ${JSON.stringify(yuan)}`);
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}

export function yuanOf(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(fen);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

// Data fields each start with a backtick, so ",`" is the separator and a comma inside a product name survives.
const cells = (line: string) => (line.startsWith('`') ? line.slice(1).split(',`') : line.split(','));

export function parseTradeBill(csv: string): { rows: TradeBillRow[]; summary: TradeBillSummary } {
  const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0] ? cells(lines[0]) : [];
  const summaryAt = lines.findIndex((l) => l.startsWith(TRADE_BILL_SUMMARY_HEADER[0]));
  if (header[0] !== TRADE_BILL_HEADER[0] || summaryAt < 1 || !lines[summaryAt + 1]) {
    throw new WechatPayProtocolError('the trade bill has no detail header or no summary');
  }
  const col = (name: (typeof TRADE_BILL_HEADER)[number]) => {
    const i = header.indexOf(name);
    if (i < 0) throw new WechatPayProtocolError(`the trade bill has no column ${name}`);
    return i;
  };
  const idx = Object.fromEntries(TRADE_BILL_HEADER.map((n) => [n, header.indexOf(n)])) as Record<string, number>;
  const at = (c: string[], name: (typeof TRADE_BILL_HEADER)[number]) => c[col(name)] ?? '';
  const money = (c: string[], name: (typeof TRADE_BILL_HEADER)[number]) => (idx[name]! >= 0 && at(c, name) ? fenOf(at(c, name)) : 0);
  const rows = lines.slice(1, summaryAt).map((line): TradeBillRow => {
    const c = cells(line);
    return {
      tradeTime: at(c, '交易时间'),
      appid: at(c, '公众账号ID'),
      mchid: at(c, '商户号'),
      transactionId: at(c, '微信订单号'),
      outTradeNo: at(c, '商户订单号'),
      openid: at(c, '用户标识'),
      tradeType: at(c, '交易类型'),
      tradeState: at(c, '交易状态'),
      settlementTotalFen: money(c, '应结订单金额'),
      refundId: at(c, '微信退款单号') === '0' ? '' : at(c, '微信退款单号'),
      outRefundNo: at(c, '商户退款单号') === '0' ? '' : at(c, '商户退款单号'),
      refundFen: money(c, '退款金额'),
      refundStatus: at(c, '退款状态'),
      description: at(c, '商品名称'),
      attach: at(c, '商户数据包'),
      orderTotalFen: money(c, '订单金额'),
      appliedRefundFen: money(c, '申请退款金额'),
    };
  });
  const s = cells(lines[summaryAt + 1]!);
  const sh = cells(lines[summaryAt]!);
  const sum = (name: (typeof TRADE_BILL_SUMMARY_HEADER)[number]) => {
    const v = s[sh.indexOf(name)];
    return v ? fenOf(v) : 0;
  };
  return {
    rows,
    summary: {
      count: Number(s[sh.indexOf('总交易单数')] ?? 0),
      settlementTotalFen: sum('应结订单总金额'),
      refundTotalFen: sum('退款总金额'),
      orderTotalFen: sum('订单总金额'),
      appliedRefundTotalFen: sum('申请退款总金额'),
    },
  };
}
