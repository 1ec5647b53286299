import type { Job } from '../../jobs/runner.js';
import { expireDue, refundDue, type GroupBuyDeps } from './groupbuy.service.js';

/** The group buy's background work: close what is due, then give back what must be refunded. */
export const groupBuyJobs: readonly Job<{ groupBuy: GroupBuyDeps }>[] = [
  { name: 'groupbuy-expiry', run: (deps, signal) => expireDue(deps.groupBuy, { signal }) },
  { name: 'groupbuy-refunds', run: (deps, signal) => refundDue(deps.groupBuy, { signal }) },
];
