import { TRANSFER_NOTIFY_PATH } from '@jizan/shared';
import type { Clock } from '../../lib/clock.js';
import { WechatPayClient } from '../../lib/wechatpay/client.js';
import type { NotificationAnswer } from '../../lib/wechatpay/notification.js';
import { TransferClient } from '../../lib/wechatpay/transfer.js';
import { inProcessKeys, inProcessNotifyUrl, inProcessPlatform } from '../../sim/wechatpay/in-process.js';
import type { WechatPaySimulator } from '../../sim/wechatpay/simulator.js';
import { SimTransfers } from '../../sim/wechatpay/transfers.js';
import { wechatTransferProvider, type PayoutProvider } from './payout-provider.js';

/**
 * Merchant transfers against the WeChat Pay v3 simulator (server/src/sim/wechatpay/transfers.ts):
 * the same client, signatures, encryption and notification path as the real platform, on the
 * in-process platform of the app's clock (sim/wechatpay/in-process.ts), the merchant its payments
 * also use.
 */

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
  const notifyUrl = inProcessNotifyUrl(TRANSFER_NOTIFY_PATH);
  const ready = inProcessPlatform(opts.clock).then((pf) => {
    pf.receivers.set(notifyUrl, opts.receive);
    const transfers = SimTransfers.of(pf.sim, () => opts.clock.now());
    const pay = new WechatPayClient(pf.sim.clientOptions(notifyUrl, { now: () => opts.clock.now(), timeoutMs: 3_000 }));
    const client = new TransferClient(pay, { apiV3Key: pf.sim.keys.apiV3Key, sceneId: '1000', notifyUrl, now: () => opts.clock.now() });
    return { sim: pf.sim, transfers, provider: wechatTransferProvider(client, 'wechatpay-simulator') };
  });
  const k = inProcessKeys();
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
