import { WECHATPAY_NOTIFY_PATH } from '@jizan/shared';
import type { Clock } from '../../lib/clock.js';
import { WechatPayClient } from '../../lib/wechatpay/client.js';
import type { NotificationAnswer } from '../../lib/wechatpay/notification.js';
import type { PaySheetParams } from '../../lib/wechatpay/sign.js';
import { inProcessNotifyUrl, inProcessPlatform } from '../../sim/wechatpay/in-process.js';
import type { WechatPaySimulator } from '../../sim/wechatpay/simulator.js';
import type { PaymentEvent, PaymentProvider } from './payment-provider.js';
import { platformNo, wechatPayProvider } from './wechatpay-provider.js';

/** How long a simulated refund stays PROCESSING when nobody settles it by hand (the H5 preview). */
const REFUND_SETTLES_AFTER_MS = 1500;

/**
 * Payments against the WeChat Pay v3 simulator (server/src/sim/wechatpay): the same client,
 * signatures, encryption and notification path as the real platform, on the in-process platform
 * of the app's clock (sim/wechatpay/in-process.ts), the merchant its transfers also use.
 */

export interface SimulatedPayments {
  provider: PaymentProvider;
  /** The chat app's pay sheet, as the H5 preview stands in for it: the buyer confirms and pays. */
  requestPayment(params: PaySheetParams): Promise<{ errMsg: string }>;
  /** For tests: the platform itself (faults, pay, settle refunds, notifications). */
  platform(): Promise<WechatPaySimulator>;
}

export function simulatedPayments(opts: {
  clock: Clock;
  /** The simulated buyer pays every prepay at once (tests that are not about paying). */
  autoPay: boolean;
  /**
   * `instant`: refunds succeed as they are asked for (tests not about refunds); `later`: a moment
   * later, told by REFUND.SUCCESS (the H5 preview); `manual`: when a test settles them. Defaults to
   * `instant` with autoPay, else `later`.
   */
  refunds?: 'instant' | 'later' | 'manual';
  /** Where this app's notifications are handled (the notify route's handler, in process). */
  receive: (headers: Record<string, string>, rawBody: string) => Promise<NotificationAnswer>;
}): SimulatedPayments {
  const notifyUrl = inProcessNotifyUrl(WECHATPAY_NOTIFY_PATH);
  const ready = inProcessPlatform(opts.clock).then(({ sim, receivers }) => {
    receivers.set(notifyUrl, opts.receive);
    return { sim, provider: wechatPayProvider(new WechatPayClient(sim.clientOptions(notifyUrl, { now: () => opts.clock.now() }))) };
  });
  const provider: PaymentProvider = {
    name: 'wechatpay',
    async prepay(req) {
      const { sim, provider: p } = await ready;
      const sheet = await p.prepay(req);
      if (opts.autoPay) await sim.requestPayment(sheet);
      return sheet;
    },
    openNotification: async (n): Promise<PaymentEvent> => (await ready).provider.openNotification(n),
    queryPayment: async (orderId) => (await ready).provider.queryPayment(orderId),
    closePayment: async (orderId) => (await ready).provider.closePayment(orderId),
    async refund(req) {
      const { sim, provider: p } = await ready;
      const result = await p.refund(req);
      if (result.status !== 'processing') return result;
      const outRefundNo = platformNo(req.refundId);
      const refunds = opts.refunds ?? (opts.autoPay ? 'instant' : 'later');
      if (refunds === 'manual') return result;
      if (refunds === 'instant') {
        // The instant platform of tests settles at once; asking again tells it, as a retry would.
        sim.ledger.settleRefund(outRefundNo, 'SUCCESS', opts.clock.now());
        return p.refund(req);
      }
      // Otherwise the money comes back a moment later, told by REFUND.SUCCESS, as on the platform.
      setTimeout(() => void sim.settleRefund(outRefundNo, 'SUCCESS').catch(() => undefined), REFUND_SETTLES_AFTER_MS).unref();
      return result;
    },
  };
  return {
    provider,
    requestPayment: async (params) => (await ready).sim.requestPayment(params),
    platform: async () => (await ready).sim,
  };
}
