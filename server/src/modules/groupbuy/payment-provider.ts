import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The payment-provider port: what the group buy needs from a payment service. A real chat-platform
 * pay integration implements it with its own prepay call, notification signature and refund API;
 * the dev provider (dev-payment-provider.ts) confirms instantly through the same notification path.
 */
export interface PaymentProvider {
  /** Stored on each payment row: a transaction id is unique per provider. */
  readonly name: string;
  /**
   * Asks the provider to collect `amount` for the order. Must be safe to repeat for one order
   * (the provider keys its prepay on the order id), because a retried placement asks again.
   */
  prepay(req: PrepayRequest): Promise<PrepayResult>;
  /** True when the notification was signed by this provider within the tolerated clock skew. */
  verifyNotification(n: SignedNotification, now: Date): boolean;
  /**
   * Gives a payment back. `refundId` is the provider's refund number: asking again with the same
   * one must never refund twice, which is what makes a retried or re-run refund safe.
   */
  refund(req: RefundRequest): Promise<RefundResult>;
}

export interface PrepayRequest {
  orderId: string;
  userId: string;
  amount: number;
  description: string;
}

/** `confirmed`: the notification was already delivered; `client`: the buyer pays in the platform's sheet. */
export type PrepayResult = { kind: 'confirmed' } | { kind: 'client'; params: Record<string, string> };

export interface SignedNotification {
  rawBody: string;
  /** Unix seconds, as sent in the timestamp header. */
  timestamp: string;
  signature: string;
}

export interface RefundRequest {
  refundId: string;
  orderId: string;
  transactionId: string;
  amount: number;
}

/** `processing`: accepted but not final; asking again later with the same refund id tells the outcome. */
export type RefundResult =
  | { status: 'succeeded'; providerRefundId: string }
  | { status: 'processing' }
  | { status: 'failed'; error: string };

/** HMAC-SHA256 over "<timestamp>.<raw body>", hex: the timestamp is signed so it cannot be swapped. */
export function signNotification(secret: Uint8Array, timestamp: string, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
}

export function verifySignedNotification(
  secret: Uint8Array | null,
  n: SignedNotification,
  now: Date,
  toleranceSeconds: number,
): boolean {
  if (!secret || !/^[0-9]{1,12}$/.test(n.timestamp) || !/^[0-9a-f]{64}$/.test(n.signature)) return false;
  if (Math.abs(now.getTime() / 1000 - Number(n.timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(signNotification(secret, n.timestamp, n.rawBody), 'hex');
  return timingSafeEqual(expected, Buffer.from(n.signature, 'hex'));
}

/** Used when no provider is configured: nothing can be bought and every notification is refused. */
export const noPaymentProvider: PaymentProvider = {
  name: 'none',
  prepay: async () => {
    throw new Error('no payment provider is configured');
  },
  verifyNotification: () => false,
  refund: async () => ({ status: 'failed', error: 'no payment provider is configured' }),
};
