import { WechatPayVerificationError } from '../../lib/wechatpay/errors.js';
import type { IncomingNotification } from '../../lib/wechatpay/notification.js';
import type { PaySheetParams } from '../../lib/wechatpay/sign.js';

/**
 * The payment-provider port: what the group buy needs from the chat platform's pay service, in
 * the shape of WeChat Pay API v3 (wechatpay-provider.ts) rather than a lowest common
 * denominator: a prepay that hands the buyer a signed pay sheet, notifications that must be
 * verified and decrypted, and a query and a close so that an outcome we did not hear about is
 * found out, never guessed. Numbers sent to the platform derive from our ids, so a retry after a
 * crash or a timeout asks about the same payment or refund instead of making a second one.
 */
export interface PaymentProvider {
  /** Stored on each payment row: a transaction id is unique per provider. */
  readonly name: string;
  /** A prepay for the order and the pay sheet the mini-program opens with it. Safe to repeat for one order. */
  prepay(req: PrepayRequest): Promise<PaySheetParams>;
  /** Verifies and decrypts a notification; throws (see wechatpay/errors.ts) when it is not the platform's. */
  openNotification(n: IncomingNotification): Promise<PaymentEvent>;
  /** What the platform knows of the order's payment. */
  queryPayment(orderId: string): Promise<PaymentState>;
  /** Closes the order on the platform so it can no longer be paid; `paid` when the buyer paid first. */
  closePayment(orderId: string): Promise<'closed' | 'paid'>;
  /**
   * Gives a payment back under the refund request's id: asking again with the same one answers
   * the same refund (its state now), never a second one.
   */
  refund(req: RefundRequest): Promise<RefundResult>;
}

export interface PrepayRequest {
  orderId: string;
  /** The buyer's openid under the mini-program's app id: the platform charges that account only. */
  openid: string;
  amount: number;
  description: string;
  /** After this the platform refuses to take the money (our pay deadline). */
  payBy: Date;
}

export interface PaidTransaction {
  /** The platform's number for the order, as it came. */
  outTradeNo: string;
  /** Ours, when the number is one of ours. */
  orderId: string | null;
  transactionId: string;
  amount: number;
  paidAt: Date;
  /** Who paid, as the platform says (checked against the order's buyer). */
  payerOpenid: string | null;
}

export type PaymentState = ({ state: 'paid' } & PaidTransaction) | { state: 'unpaid' } | { state: 'closed' };

export type RefundOutcome = 'succeeded' | 'abnormal' | 'closed';

/** What a verified notification says. */
export type PaymentEvent =
  | ({ kind: 'paid' } & PaidTransaction)
  | { kind: 'refund'; refundId: string; outcome: RefundOutcome; providerRefundId: string };

export interface RefundRequest {
  refundId: string;
  orderId: string;
  transactionId: string;
  /** What this refund gives back, and what the payment it comes from was. */
  amount: number;
  paidAmount: number;
  reason: string;
}

/** `processing`: accepted, not final; its notification or asking again later tells the outcome. */
export type RefundResult =
  | { status: 'succeeded'; providerRefundId: string }
  | { status: 'processing' }
  | { status: 'abnormal' | 'closed'; providerRefundId: string }
  | { status: 'failed'; error: string };

/** Used when no provider is configured: nothing can be bought and every notification is refused. */
export const noPaymentProvider: PaymentProvider = {
  name: 'none',
  prepay: async () => {
    throw new Error('no payment provider is configured');
  },
  openNotification: async () => {
    throw new WechatPayVerificationError('unknown-serial', 'no payment provider is configured to verify notifications');
  },
  queryPayment: async () => ({ state: 'unpaid' }),
  closePayment: async () => 'closed',
  refund: async () => ({ status: 'failed', error: 'no payment provider is configured' }),
};
