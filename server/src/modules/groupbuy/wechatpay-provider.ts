import { WechatPayApiError, WechatPayProtocolError } from '../../lib/wechatpay/errors.js';
import type { WechatPayClient } from '../../lib/wechatpay/client.js';
import type { Refund, Transaction } from '../../lib/wechatpay/types.js';
import type { PaidTransaction, PaymentEvent, PaymentProvider, PaymentState, RefundResult } from './payment-provider.js';

/**
 * Our ids as the platform's numbers: a UUID without its dashes is 32 of [0-9a-f], inside both
 * out_trade_no's 6–32 characters and out_refund_no's 64, and the same on every retry.
 */
export const platformNo = (id: string): string => id.replace(/-/g, '');

export function idOfPlatformNo(no: string): string {
  // A platform message naming a number we never sent is refused as malformed (400), never a 500.
  if (!/^[0-9a-f]{32}$/i.test(no)) throw new WechatPayProtocolError(`not one of our numbers: ${no}`);
  const h = no.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** RFC 3339 in Beijing time, as time_expire is documented (yyyy-MM-DDTHH:mm:ss+08:00). */
export function beijingRfc3339(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
}

/** Null for a number that is not one of ours (another system on the same merchant, or a forgery that verified). */
function orderIdOf(no: string): string | null {
  return /^[0-9a-f]{32}$/i.test(no) ? idOfPlatformNo(no) : null;
}

function paid(t: Transaction): PaidTransaction {
  return {
    outTradeNo: t.out_trade_no,
    orderId: orderIdOf(t.out_trade_no),
    payerOpenid: t.payer?.openid ?? null,
    transactionId: t.transaction_id!,
    amount: t.amount?.total ?? 0,
    paidAt: t.success_time ? new Date(t.success_time) : new Date(),
  };
}

function refundResult(r: Pick<Refund, 'status' | 'refund_id'>): RefundResult {
  switch (r.status) {
    case 'SUCCESS':
      return { status: 'succeeded', providerRefundId: r.refund_id };
    case 'PROCESSING':
      return { status: 'processing' };
    case 'ABNORMAL':
      return { status: 'abnormal', providerRefundId: r.refund_id };
    case 'CLOSED':
      return { status: 'closed', providerRefundId: r.refund_id };
  }
}

const notFound = (e: unknown) => e instanceof WechatPayApiError && (e.code === 'ORDER_NOT_EXIST' || e.code === 'RESOURCE_NOT_EXISTS' || e.status === 404);

/** The group buy's payments through WeChat Pay API v3 (JSAPI, for the mini-program). */
export function wechatPayProvider(client: WechatPayClient): PaymentProvider {
  return {
    name: 'wechatpay',
    async prepay(req) {
      const { paySheet } = await client.jsapiPrepay({
        // The platform caps the description at 127 characters and shows it on the buyer's bill.
        description: req.description.slice(0, 127),
        out_trade_no: platformNo(req.orderId),
        time_expire: beijingRfc3339(req.payBy),
        amount: { total: req.amount, currency: 'CNY' },
        payer: { openid: req.openid },
      });
      return paySheet;
    },

    async openNotification(n): Promise<PaymentEvent> {
      const event = client.openNotification(n);
      if (event.kind === 'transaction') return { kind: 'paid', ...paid(event.transaction) };
      const outcome = ({ 'REFUND.SUCCESS': 'succeeded', 'REFUND.ABNORMAL': 'abnormal', 'REFUND.CLOSED': 'closed' } as const)[event.eventType];
      return { kind: 'refund', refundId: idOfPlatformNo(event.refund.out_refund_no), outcome, providerRefundId: event.refund.refund_id };
    },

    async queryPayment(orderId): Promise<PaymentState> {
      try {
        const t = await client.queryByOutTradeNo(platformNo(orderId));
        // REFUND: paid, then (partly) refunded: it was paid all the same.
        if (t.trade_state === 'SUCCESS' || t.trade_state === 'REFUND') return { state: 'paid', ...paid(t) };
        if (t.trade_state === 'CLOSED' || t.trade_state === 'REVOKED') return { state: 'closed' };
        return { state: 'unpaid' };
      } catch (e) {
        // A number the platform never saw was never prepaid: nobody can pay it.
        if (notFound(e)) return { state: 'closed' };
        throw e;
      }
    },

    async closePayment(orderId) {
      try {
        await client.closeByOutTradeNo(platformNo(orderId));
        return 'closed';
      } catch (e) {
        if (e instanceof WechatPayApiError && e.code === 'ORDERPAID') return 'paid';
        if (e instanceof WechatPayApiError && e.code === 'ORDER_CLOSED') return 'closed';
        if (notFound(e)) return 'closed';
        throw e;
      }
    },

    async refund(req) {
      const outRefundNo = platformNo(req.refundId);
      // Asked before: its state now. Only a number the platform never accepted is sent as new.
      try {
        return refundResult(await client.queryRefund(outRefundNo));
      } catch (e) {
        if (!notFound(e)) throw e;
      }
      try {
        return refundResult(
          await client.refund({
            out_trade_no: platformNo(req.orderId),
            out_refund_no: outRefundNo,
            reason: req.reason.slice(0, 80),
            amount: { refund: req.amount, total: req.paidAmount, currency: 'CNY' },
          }),
        );
      } catch (e) {
        // A refusal with a business code (NOT_ENOUGH, INVALID_REQUEST…) is final for this attempt;
        // anything else may have been accepted and is found out by asking again.
        if (e instanceof WechatPayApiError && !e.outcomeUnknown) return { status: 'failed', error: `${e.code}: ${e.platformMessage}` };
        throw e;
      }
    },
  };
}
