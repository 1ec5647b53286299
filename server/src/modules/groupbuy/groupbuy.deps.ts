import type { Config, GroupBuyConfig } from '../../config.js';
import type { Db } from '../../db/client.js';
import { noBoardSync, type BoardSync } from '../../lib/board-sync.js';
import type { Clock } from '../../lib/clock.js';
import { wechatPayClient } from '../../payment-config.js';
import { outboxNotifier, type Notifier } from './notifier.js';
import { noPaymentProvider, type PaymentProvider } from './payment-provider.js';
import { receiveNotification } from './payments.service.js';
import { remoteSheets, type PaySheet } from '../../sim/wechatpay/remote.js';
import { simulatedPayments, type SimulatedPayments } from './simulated-payments.js';
import { wechatPayProvider } from './wechatpay-provider.js';

/** The reconciliation script builds its bill client through this package entry. */
export { wechatPayClient };

export interface GroupBuyDeps {
  db: Db;
  clock: Clock;
  payments: PaymentProvider;
  notifier: Notifier;
  settings: GroupBuyConfig;
  /** Told about a sharer's credit once the payment's transaction commits. */
  boards: BoardSync;
  /** Set when payments go to the in-process simulator: the platform, for tests. */
  simulator: SimulatedPayments | null;
  /** The simulated chat app's pay sheet for the H5 preview: in process, or a standalone simulator's. Null on the real platform. */
  paySheet: PaySheet | null;
}

/**
 * The group buy's dependencies from configuration: the payment provider it names and the outbox
 * notifier. Build them once per process and share them (routes, cards, jobs, seed). Without
 * `boards` (scripts, tests) credits are not pushed to a board kept outside PostgreSQL: its corrector catches up.
 */
export function groupBuyDeps(base: { config: Config; db: Db; clock: Clock; boards?: BoardSync }): GroupBuyDeps {
  const { config, db, clock, boards = noBoardSync } = base;
  const deps: GroupBuyDeps = { db, clock, payments: noPaymentProvider, notifier: outboxNotifier, settings: config.groupBuy, boards, simulator: null, paySheet: null };
  const payment = config.payment;
  if (payment.provider === 'wechatpay') {
    deps.payments = wechatPayProvider(wechatPayClient(payment.wechatpay));
    if (payment.wechatpay.simulatorUrl) deps.paySheet = remoteSheets(payment.wechatpay.simulatorUrl);
  }
  if (payment.provider === 'simulator') {
    deps.simulator = simulatedPayments({ clock, autoPay: payment.autoPay, receive: (headers, rawBody) => receiveNotification(deps, { headers, rawBody }) });
    deps.payments = deps.simulator.provider;
    deps.paySheet = deps.simulator;
  }
  return deps;
}
