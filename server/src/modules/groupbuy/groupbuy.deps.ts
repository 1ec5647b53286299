import type { Config, GroupBuyConfig } from '../../config.js';
import type { Db } from '../../db/client.js';
import { noBoardSync, type BoardSync } from '../../lib/board-sync.js';
import type { Clock } from '../../lib/clock.js';
import { devPaymentProvider } from './dev-payment-provider.js';
import { outboxNotifier, type Notifier } from './notifier.js';
import { noPaymentProvider, type PaymentProvider } from './payment-provider.js';
import { handlePaymentNotification } from './payments.service.js';

export interface GroupBuyDeps {
  db: Db;
  clock: Clock;
  payments: PaymentProvider;
  notifier: Notifier;
  settings: GroupBuyConfig;
  /** Told about a sharer's credit once the payment's transaction commits. */
  boards: BoardSync;
}

/**
 * The group buy's dependencies from configuration: the payment provider it names (the dev one
 * delivers its notifications straight into this module's handler) and the outbox notifier. Build
 * them once per process and share them (routes, cards, jobs): the dev provider keeps state. Without
 * `boards` (scripts, tests) credits are not pushed to a board kept outside PostgreSQL: its corrector catches up.
 */
export function groupBuyDeps(base: { config: Config; db: Db; clock: Clock; boards?: BoardSync }): GroupBuyDeps {
  const { config, db, clock, boards = noBoardSync } = base;
  const deps: GroupBuyDeps = { db, clock, payments: noPaymentProvider, notifier: outboxNotifier, settings: config.groupBuy, boards };
  const secret = config.payment.notifySecret;
  if (config.payment.provider === 'dev' && secret) {
    deps.payments = devPaymentProvider({
      secret,
      toleranceSeconds: config.payment.notifyToleranceSeconds,
      clock,
      deliver: async (n) => {
        await handlePaymentNotification(deps, n);
      },
    });
  }
  return deps;
}
