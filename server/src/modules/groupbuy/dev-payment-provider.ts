import { randomUUID } from 'node:crypto';
import type { PaymentNotification } from '@jizan/shared';
import type { Clock } from '../../lib/clock.js';
import { signNotification, verifySignedNotification, type PaymentProvider, type SignedNotification } from './payment-provider.js';

export interface DevPaymentProviderOptions {
  secret: Uint8Array;
  toleranceSeconds: number;
  clock: Clock;
  /** Hands a signed notification to the notification handler, exactly as the route would. */
  deliver(n: SignedNotification): Promise<void>;
}

export interface DevPaymentProvider extends PaymentProvider {
  /** The refunds this provider paid out, by refund id: what a bank statement would show. */
  readonly paidOut: ReadonlyMap<string, { providerRefundId: string; amount: number; transactionId: string }>;
  /** Every refund call, repeats included. */
  readonly refundCalls: number;
}

/**
 * Pays every order as it is placed, by signing a notification and delivering it through the same
 * verification and handler a real provider's notification goes through. Its transaction id is
 * derived from the order, so asking twice for one order is one payment, as with a real prepay.
 * Refunds always succeed and are idempotent by refund id (kept in memory: dev money is not real).
 */
export function devPaymentProvider(opts: DevPaymentProviderOptions): DevPaymentProvider {
  const paidOut = new Map<string, { providerRefundId: string; amount: number; transactionId: string }>();
  let refundCalls = 0;
  return {
    name: 'dev',
    get paidOut() {
      return paidOut;
    },
    get refundCalls() {
      return refundCalls;
    },
    async prepay(req) {
      const now = opts.clock.now();
      const body: PaymentNotification = {
        id: `evt_${randomUUID()}`,
        type: 'payment.succeeded',
        orderId: req.orderId,
        transactionId: `dev_${req.orderId}`,
        amount: req.amount,
        paidAt: now.toISOString(),
      };
      const rawBody = JSON.stringify(body);
      const timestamp = String(Math.floor(now.getTime() / 1000));
      await opts.deliver({ rawBody, timestamp, signature: signNotification(opts.secret, timestamp, rawBody) });
      return { kind: 'confirmed' };
    },
    verifyNotification: (n, now) => verifySignedNotification(opts.secret, n, now, opts.toleranceSeconds),
    async refund(req) {
      refundCalls += 1;
      const done = paidOut.get(req.refundId);
      if (done) return { status: 'succeeded', providerRefundId: done.providerRefundId };
      const providerRefundId = `devrefund_${randomUUID()}`;
      paidOut.set(req.refundId, { providerRefundId, amount: req.amount, transactionId: req.transactionId });
      return { status: 'succeeded', providerRefundId };
    },
  };
}
