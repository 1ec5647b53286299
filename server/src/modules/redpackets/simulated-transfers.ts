import type { Clock } from '../../lib/clock.js';
import { WechatPayClient } from '../../lib/wechatpay/client.js';
import type { NotificationAnswer } from '../../lib/wechatpay/notification.js';
import { TransferClient } from '../../lib/wechatpay/transfer.js';
import { generateSimKeys, type SimKeys } from '../../sim/wechatpay/keys.js';
import { WechatPaySimulator } from '../../sim/wechatpay/simulator.js';
import { SimTransfers } from '../../sim/wechatpay/transfers.js';
import { wechatTransferProvider, type PayoutProvider } from './payout-provider.js';

/**
 * Merchant transfers against the WeChat Pay v3 simulator (server/src/sim/wechatpay/transfers.ts):
 * the same client, signatures, encryption and notification path as the real platform, with the
 * platform in this process. One simulated platform per clock, as for payments, so a test's own
 * service calls and its app are one merchant, and moving the clock moves the platform's time.
 */

let keys: SimKeys | null = null;

interface Platform {
  sim: WechatPaySimulator;
  transfers: SimTransfers;
  receivers: Map<string, (headers: Record<string, string>, rawBody: string) => Promise<NotificationAnswer>>;
}

const platforms = new WeakMap<Clock, Promise<Platform>>();
let receiverCount = 0;

const lowerCased = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

function platformFor(clock: Clock): Promise<Platform> {
  let p = platforms.get(clock);
  if (!p) {
    keys ??= generateSimKeys();
    const receivers: Platform['receivers'] = new Map();
    const sim = new WechatPaySimulator({
      keys,
      now: () => clock.now(),
      post: async (url, body, headers) => {
        const receive = receivers.get(url);
        if (!receive) return { status: null, body: `no receiver at ${url}` };
        const answer = await receive(lowerCased(headers), body);
        return { status: answer.status, body: answer.body ? JSON.stringify(answer.body) : '' };
      },
    });
    const transfers = SimTransfers.of(sim, () => clock.now());
    p = sim.listen(0, '127.0.0.1').then(() => ({ sim, transfers, receivers }));
    platforms.set(clock, p);
  }
  return p;
}

export interface SimulatedTransfers {
  provider: PayoutProvider;
  /** The chat app's confirm page, as the H5 preview stands in for it: the user taps 确认收款. */
  confirm(params: { mchId?: string; appId?: string; package?: string }): Promise<{ errMsg: string }>;
  /** For tests: the platform and its transfers (faults, a user who never confirms, notifications). */
  platform(): Promise<{ sim: WechatPaySimulator; transfers: SimTransfers }>;
}

export function simulatedTransfers(opts: {
  clock: Clock;
  /** Where this app's transfer notifications are handled (the route's handler, in process). */
  receive: (headers: Record<string, string>, rawBody: string) => Promise<NotificationAnswer>;
}): SimulatedTransfers {
  const notifyUrl = `http://127.0.0.1/in-process/transfers/${++receiverCount}/v1/redpackets/wechatpay/transfer-notify`;
  const ready = platformFor(opts.clock).then((pf) => {
    pf.receivers.set(notifyUrl, opts.receive);
    const pay = new WechatPayClient(pf.sim.clientOptions(notifyUrl, { now: () => opts.clock.now(), timeoutMs: 3_000 }));
    const client = new TransferClient(pay, { apiV3Key: pf.sim.keys.apiV3Key, sceneId: '1000', notifyUrl, now: () => opts.clock.now() });
    return { ...pf, provider: wechatTransferProvider(client, 'wechatpay-simulator') };
  });
  keys ??= generateSimKeys();
  const k = keys;
  const provider: PayoutProvider = {
    name: 'wechatpay-simulator',
    mchId: k.mchid,
    appId: k.appid,
    transfer: async (req) => (await ready).provider.transfer(req),
    query: async (no) => (await ready).provider.query(no),
    cancel: async (no) => (await ready).provider.cancel(no),
    openNotification: async (n) => (await ready).provider.openNotification(n),
  };
  return {
    provider,
    confirm: async (params) => {
      const { errMsg } = await (await ready).transfers.confirm(params);
      return { errMsg };
    },
    platform: async () => {
      const { sim, transfers } = await ready;
      return { sim, transfers };
    },
  };
}
