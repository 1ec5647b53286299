import type { Coupon, CouponStatus, MyCouponsQuery, MyCouponsResponse, TierCouponRule } from '@jizan/shared';
import type { ErrorCode } from '@jizan/shared/errors';
import { LIMITS } from '@jizan/shared/constants';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { iso } from '../../lib/time.js';
import { requireCampaign } from '../campaigns/campaigns.service.js';
import { couponExpiry, discountOn, isPastExpiry, redemptionBlockedBy, statusOnReturn } from './coupon-rules.js';
import * as repo from './coupons.repository.js';

// Coupons a coupon rung pays instead of cash: issued on the claim, redeemed on a group-buy order
// (the discount is what the red-packet budget pays, in the order's transaction), given back when
// the order is cancelled or refunded, and expired by a job. Every change of a coupon's status
// appends its coupon_ledger row in the same transaction.

export interface CouponDeps {
  db: Db;
  clock: Clock;
}

/** As the API shows it: an available coupon past its expiry reads `expired` even before the expiry job has swept it. */
export function presentCoupon(row: repo.CouponRow, now: Date): Coupon {
  const status: CouponStatus = row.status === 'available' && isPastExpiry(row.expiresAt, now) ? 'expired' : row.status;
  return {
    id: row.id,
    campaignId: row.campaignId,
    tier: row.tier,
    amountOff: row.amountOff,
    minSpend: row.minSpend,
    expiresAt: iso(row.expiresAt),
    status,
    orderId: row.orderId,
    createdAt: iso(row.createdAt),
  };
}

// ---- Issue ----

/**
 * A coupon rung's claim, inside the claim's transaction: the coupon and its `issued` row. Nothing is
 * taken from the budget (a coupon costs it only when redeemed). Null when the user already holds
 * this rung's coupon (the unique index decides, so a double claim issues exactly one).
 */
export async function issueCoupon(
  tx: Executor,
  v: { campaignId: string; userId: string; tier: number; amountOff: number; terms: TierCouponRule; now: Date },
): Promise<Coupon | null> {
  const row = await repo.insertCoupon(tx, {
    campaignId: v.campaignId,
    userId: v.userId,
    tier: v.tier,
    amountOff: v.amountOff,
    minSpend: v.terms.minSpend,
    expiresAt: couponExpiry(v.terms, v.now),
    at: v.now,
  });
  if (!row) return null;
  await repo.appendLedger(tx, [{ couponId: row.id, campaignId: row.campaignId, event: 'issued', orderId: null, amount: row.amountOff, budgetDelta: 0, reason: `tier ${v.tier} claimed` }], v.now);
  return presentCoupon(row, v.now);
}

/** The rungs a user claimed as coupons (the ladder shows them claimed, like red packets). */
export function claimedCouponTiers(ex: Executor, campaignId: string, userId: string): Promise<number[]> {
  return repo.claimedCouponTiers(ex, campaignId, userId);
}

// ---- Redeem ----

const REFUSALS: Partial<Record<ErrorCode, string>> = {
  COUPON_NOT_FOUND: 'You hold no coupon with this id',
  COUPON_ALREADY_USED: 'This coupon is already used on another order',
  COUPON_EXPIRED: 'This coupon has expired',
  COUPON_NOT_APPLICABLE: 'This coupon is not for this product: it belongs to another campaign, or the price is below its minimum spend',
};

function refusal(code: ErrorCode, details?: Record<string, unknown>): AppError {
  return new AppError(code, REFUSALS[code] ?? 'This coupon cannot be used here', details);
}

/**
 * What an order about to be placed may take off with this coupon; refused with the coupon's code
 * otherwise. A read: the redemption itself (redeemCoupon) re-checks under its guard.
 */
export async function couponDiscountFor(
  ex: Executor,
  v: { couponId: string; userId: string; campaignId: string; price: number; now: Date },
): Promise<number> {
  const found = await repo.findCoupon(ex, v.couponId);
  const coupon = found && found.userId === v.userId ? found : undefined;
  const blocked = redemptionBlockedBy({ coupon, campaignId: v.campaignId, price: v.price, now: v.now });
  if (blocked) throw refusal(blocked, coupon ? { minSpend: coupon.minSpend, expiresAt: iso(coupon.expiresAt) } : undefined);
  return discountOn(coupon!.amountOff, v.price);
}

/**
 * Redeems the coupon on the order just placed, in the order's transaction: the guarded UPDATE takes
 * it (one order among any number racing for it), the campaign's red-packet budget pays the discount
 * (refused with BUDGET_EXHAUSTED when it cannot, which rolls the order back too), and the
 * `redeemed` row records both.
 */
export async function redeemCoupon(
  tx: Executor,
  v: { couponId: string; userId: string; orderId: string; campaignId: string; discount: number; now: Date },
): Promise<void> {
  const taken = await repo.redeem(tx, { couponId: v.couponId, userId: v.userId, orderId: v.orderId, at: v.now });
  if (!taken) {
    const now = await repo.findCoupon(tx, v.couponId);
    throw refusal(now && (now.status === 'expired' || isPastExpiry(now.expiresAt, v.now)) ? 'COUPON_EXPIRED' : 'COUPON_ALREADY_USED');
  }
  const campaign = await requireCampaign(tx, v.campaignId);
  await repo.ensureBudget(tx, campaign.id, campaign.rules.redPacketBudget, v.now);
  if ((await repo.debitBudget(tx, campaign.id, v.discount)) === null) {
    throw new AppError('BUDGET_EXHAUSTED', 'The campaign has no budget left to pay this coupon; buy without it, or try another');
  }
  await repo.appendLedger(
    tx,
    [{ couponId: taken.id, campaignId: taken.campaignId, event: 'redeemed', orderId: v.orderId, amount: v.discount, budgetDelta: -v.discount, reason: 'order placed' }],
    v.now,
  );
}

// ---- Give back ----

/**
 * The orders were cancelled or their money is going back: each one's coupon comes off it, usable
 * again while it has time left (expired otherwise), and the budget gets the discount back. Runs in
 * the transaction that moves the orders; an order gives its coupon back at most once (the
 * compare-and-set, and the ledger's one `returned` row per order). Answers how many came back.
 */
export async function returnCoupons(tx: Executor, v: { orderIds: string[]; reason: string; now: Date }): Promise<number> {
  const held = await repo.lockRedeemedOn(tx, v.orderIds);
  if (held.length === 0) return 0;
  const discounts = await repo.redeemedDiscounts(tx, held.map((c) => c.orderId!));
  let returned = 0;
  for (const c of held) {
    const orderId = c.orderId!;
    const discount = discounts.get(orderId)!;
    const status = statusOnReturn(c.expiresAt, v.now);
    if (!(await repo.giveBack(tx, { couponId: c.id, orderId, status, at: v.now }))) continue;
    await repo.creditBudget(tx, c.campaignId, discount);
    await repo.appendLedger(
      tx,
      [
        { couponId: c.id, campaignId: c.campaignId, event: 'returned', orderId, amount: discount, budgetDelta: discount, reason: v.reason },
        ...(status === 'expired'
          ? [{ couponId: c.id, campaignId: c.campaignId, event: 'expired' as const, orderId: null, amount: c.amountOff, budgetDelta: 0, reason: 'past its expiry when its order gave it back' }]
          : []),
      ],
      v.now,
    );
    returned++;
  }
  return returned;
}

/** What each order's coupon took off it; orders without one are absent. */
export function couponDiscountsOf(ex: Executor, orderIds: string[]): Promise<Map<string, number>> {
  return repo.redeemedDiscounts(ex, orderIds);
}

// ---- Expiry ----

export const EXPIRY_BATCH = 500;

/** One run of the expiry job: available coupons past their expiry become expired, each with its ledger row. Answers how many. */
export async function expireDueCoupons(deps: CouponDeps, opts: { signal?: AbortSignal } = {}): Promise<number> {
  let total = 0;
  while (!opts.signal?.aborted) {
    const n = await deps.db.transaction(async (tx) => {
      const now = deps.clock.now();
      const moved = await repo.expireDue(tx, { now, limit: EXPIRY_BATCH });
      await repo.appendLedger(
        tx,
        moved.map((c) => ({ couponId: c.id, campaignId: c.campaignId, event: 'expired' as const, orderId: null, amount: c.amountOff, budgetDelta: 0, reason: 'past its expiry unused' })),
        now,
      );
      return moved.length;
    });
    total += n;
    if (n < EXPIRY_BATCH) break;
  }
  return total;
}

// ---- Mine ----

/**
 * My coupons, newest first. With `productId`: only those usable on it now, each with what it takes
 * off the product's group price (the same rules the order applies).
 */
export async function myCoupons(deps: CouponDeps, userId: string, q: MyCouponsQuery): Promise<MyCouponsResponse> {
  const now = deps.clock.now();
  if (q.campaignId) await requireCampaign(deps.db, q.campaignId);
  const product = q.productId ? await repo.productPrice(deps.db, q.productId) : null;
  if (product === undefined) throw new AppError('PRODUCT_NOT_FOUND', 'No such product');
  const found = await repo.couponsOf(deps.db, { userId, campaignId: product?.campaignId ?? q.campaignId ?? null, limit: LIMITS.pageSizeMax });
  if (!product) return { coupons: found.map((c) => ({ ...presentCoupon(c, now), discount: null })) };
  return {
    coupons: found
      .filter((c) => redemptionBlockedBy({ coupon: c, campaignId: product.campaignId, price: product.groupPrice, now }) === null)
      .filter((c) => !q.campaignId || c.campaignId === q.campaignId)
      .map((c) => ({ ...presentCoupon(c, now), discount: discountOn(c.amountOff, product.groupPrice) })),
  };
}

// ---- Books ----

export type { CouponProblem } from './coupons.repository.js';

/** The coupons' side of `pnpm verify-ledger`: every coupon's status agrees with its ledger. Empty when all do. */
export function verifyCoupons(ex: Executor, opts: { campaignId?: string } = {}): Promise<repo.CouponProblem[]> {
  return repo.findCouponProblems(ex, opts);
}

export interface CouponBooks {
  issued: number;
  issuedValue: number;
  redeemed: number;
  redeemedValue: number;
  expired: number;
  redemptionRate: number | null;
  gmv: number;
}

/** A campaign's coupons as operators count them (see CampaignOverview.coupons). */
export async function couponBooks(ex: Executor, campaignId: string): Promise<CouponBooks> {
  const c = await repo.campaignCouponCounts(ex, campaignId);
  return { ...c, redemptionRate: c.issued > 0 ? c.redeemed / c.issued : null };
}
