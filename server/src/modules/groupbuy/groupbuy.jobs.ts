import type { Job } from '../../jobs/runner.js';
import type { GroupBuyDeps } from './groupbuy.deps.js';
import { cancelOneGroupsOverdueOrders, closeOneExpiredGroup } from './expiry.service.js';
import { askOnePendingPayment } from './payments.service.js';
import { attemptOneRefund } from './refunds.service.js';

/** Runs `step` until it reports nothing left, `max` is reached or the job is asked to stop. */
async function drain(step: () => Promise<boolean>, max: number, signal?: AbortSignal): Promise<number> {
  let done = 0;
  while (done < max && !signal?.aborted && (await step())) done += 1;
  return done;
}

/** The expiry job's run: groups whose time is up, then unpaid orders past their deadline. */
export async function expireDue(deps: GroupBuyDeps, opts: { max?: number; signal?: AbortSignal } = {}): Promise<number> {
  const max = opts.max ?? 500;
  const [skipGroups, skipOrders] = [new Set<string>(), new Set<string>()];
  // Groups whose platform could not answer are left for the next run, not asked about again in a loop.
  const groups = await drain(() => closeOneExpiredGroup(deps, skipGroups), max, opts.signal);
  const orders = await drain(() => cancelOneGroupsOverdueOrders(deps, skipOrders), max, opts.signal);
  return groups + orders;
}

/** The refund job's run: every refund due for an attempt. */
export async function refundDue(deps: GroupBuyDeps, opts: { max?: number; signal?: AbortSignal } = {}): Promise<number> {
  return drain(() => attemptOneRefund(deps), opts.max ?? 500, opts.signal);
}

/** The payment query job's run: unpaid orders whose notification is late, asked about on the platform. */
export async function askDue(deps: GroupBuyDeps, opts: { max?: number; signal?: AbortSignal } = {}): Promise<number> {
  return drain(() => askOnePendingPayment(deps), opts.max ?? 100, opts.signal);
}

/** The group buy's background work: find late payments, close what is due, then give back what must be refunded. */
export const groupBuyJobs: readonly Job<{ groupBuy: GroupBuyDeps }>[] = [
  { name: 'groupbuy-payment-query', run: (deps, signal) => askDue(deps.groupBuy, { signal }) },
  { name: 'groupbuy-expiry', run: (deps, signal) => expireDue(deps.groupBuy, { signal }) },
  { name: 'groupbuy-refunds', run: (deps, signal) => refundDue(deps.groupBuy, { signal }) },
];
