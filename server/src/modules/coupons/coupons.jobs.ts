import type { Job } from '../../jobs/runner.js';
import { expireDueCoupons, type CouponDeps } from './coupons.service.js';

export interface CouponJobDeps {
  coupons: CouponDeps;
}

/**
 * Available coupons past their expiry become expired, each with its ledger row. Safe in every
 * instance at once: each batch is claimed with SKIP LOCKED, and the guard re-checks `available`.
 */
export const couponJobs: readonly Job<CouponJobDeps>[] = [{ name: 'coupons-expiry', run: (deps, signal) => expireDueCoupons(deps.coupons, { signal }) }];
