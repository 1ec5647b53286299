import { TRANSFER_NOTIFY_PATH } from '@jizan/shared';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { wechatPayClient } from '../../payment-config.js';
import { TransferClient } from '../../lib/wechatpay/transfer.js';
import { wechatTransferProvider } from './payout-provider.js';
import { remoteSheets, type ConfirmSheet } from '../../sim/wechatpay/remote.js';
import { simulatedTransfers, type SimulatedTransfers } from './simulated-transfers.js';
import { receiveTransferNotification, type TransferDeps } from './transfers.service.js';

export interface Payouts extends TransferDeps {
  /** Set on the in-process simulated platform: the platform, for tests. */
  simulator: SimulatedTransfers | null;
  /** The simulated chat app's 确认收款 page for the H5 preview: in process, or a standalone simulator's. Null on the real platform. */
  confirmSheet: ConfirmSheet | null;
}

/**
 * Where cash goes, from configuration: with JIZAN_PAYMENT_PROVIDER=wechatpay and a transfer scene
 * (WECHATPAY_TRANSFER_SCENE_ID), the merchant transfer on the same merchant, keys and client; with
 * the simulator, the simulated platform's transfers; otherwise none, and claims are refused.
 * Build once per process and share (routes, jobs).
 */
export function payoutsFor(base: { config: Config; db: Db; clock: Clock }): Payouts {
  const { config, db, clock } = base;
  const settings = config.redPackets;
  const deps: Payouts = { db, clock, payouts: null, simulator: null, confirmSheet: null, holdMinutes: settings.holdMinutes, transferConfirmMinutes: settings.transferConfirmMinutes };
  const payment = config.payment;
  if (payment.provider === 'wechatpay' && settings.transferSceneId) {
    const c = payment.wechatpay;
    const notifyUrl = settings.transferNotifyUrl ?? new URL(TRANSFER_NOTIFY_PATH, c.notifyUrl).toString();
    const pay = wechatPayClient(c, notifyUrl);
    deps.payouts = wechatTransferProvider(new TransferClient(pay, { apiV3Key: c.apiV3Key, sceneId: settings.transferSceneId, notifyUrl }));
    if (c.simulatorUrl) deps.confirmSheet = remoteSheets(c.simulatorUrl);
  }
  if (payment.provider === 'simulator') {
    deps.simulator = simulatedTransfers({ clock, receive: (headers, rawBody) => receiveTransferNotification(deps, { headers, rawBody }) });
    deps.payouts = deps.simulator.provider;
    deps.confirmSheet = deps.simulator;
  }
  return deps;
}
