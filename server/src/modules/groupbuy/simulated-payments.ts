import type { Clock } from '../../lib/clock.js';
import { WechatPayClient } from '../../lib/wechatpay/client.js';
import type { NotificationAnswer } from '../../lib/wechatpay/notification.js';
import type { PaySheetParams } from '../../lib/wechatpay/sign.js';
import { generateSimKeys, type SimKeys } from '../../sim/wechatpay/keys.js';
import { WechatPaySimulator } from '../../sim/wechatpay/simulator.js';
import type { PaymentEvent, PaymentProvider } from './payment-provider.js';
import { platformNo, wechatPayProvider } from './wechatpay-provider.js';

/** How long a simulated refund stays PROCESSING when nobody settles it by hand (the H5 preview). */
const REFUND_SETTLES_AFTER_MS = 1500;

/**
 * Payments against the WeChat Pay v3 simulator (server/src/sim/wechatpay): the same client,
 * signatures, encryption and notification path as the real platform, with a platform that lives
 * in this process. One simulated platform per clock: the app, its jobs and a test's own service
 * calls on one clock are one merchant on one platform (two instances of a test share it, as two
 * real instances share WeChat Pay), and the platform's time is that clock's, so a test that
 * moves its clock moves the platform's too.
 */

/** Generating two RSA keys is the slow part; one set per process serves every simulated platform. */
let keys: SimKeys | null = null;

interface Platform {
  sim: WechatPaySimulator;
  /** Notification receivers by notify URL: each app (instance) that prepays gets its own. */
  receivers: Map<string, (headers: Record<string, string>, rawBody: string) => Promise<NotificationAnswer>>;
}

const platforms = new WeakMap<Clock, Promise<Platform>>();
let receiverCount = 0;

function platformFor(clock: Clock): Promise<Platform> {
  let p = platforms.get(clock);
  if (!p) {
    keys ??= generateSimKeys();
    const receivers: Platform['receivers'] = new Map();
    const sim = new WechatPaySimulator({
      keys,
      now: () => clock.now(),
      // In process: the signed, encrypted envelope is handed to the receiver as the route would get it.
      post: async (url, body, headers) => {
        const receive = receivers.get(url);
        if (!receive) return { status: null, body: `no receiver at ${url}` };
        const answer = await receive(lowerCased(headers), body);
        return { status: answer.status, body: answer.body ? JSON.stringify(answer.body) : '' };
      },
    });
    p = sim.listen(0, '127.0.0.1').then(() => ({ sim, receivers }));
    platforms.set(clock, p);
  }
  return p;
}

const lowerCased = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

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
  const notifyUrl = `http://127.0.0.1/in-process/${++receiverCount}/v1/payments/wechatpay/notify`;
  const ready = platformFor(opts.clock).then(({ sim, receivers }) => {
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
