import type { GroupJoinBlocker, GroupStatus } from '@jizan/shared';
import { GROUP_SIZE_MAX, GROUP_SIZE_MIN } from '@jizan/shared';

/** Seats a friend can take now: only an open group within its window offers any. */
export function seatsLeft(g: { status: GroupStatus; groupSize: number; seatsTaken: number; expiresAt: Date }, now: Date): number {
  if (g.status !== 'open' || isExpired(g.expiresAt, now)) return 0;
  return Math.max(0, g.groupSize - g.seatsTaken);
}

/** The window is half-open: at `expiresAt` itself the group is already over. */
export function isExpired(expiresAt: Date, now: Date): boolean {
  return now.getTime() >= expiresAt.getTime();
}

/** A group buy succeeds the moment its N-th seat is paid. */
export function succeedsWith(paidSeats: number, groupSize: number): boolean {
  return paidSeats >= groupSize;
}

export interface ExpiryFacts {
  groupSize: number;
  /** Real members whose orders are paid when the window ends. */
  realPaid: number;
  virtualFill: boolean;
  virtualFillMinReal: number;
}

export type ExpiryOutcome = { outcome: 'fill'; virtualSeats: number } | { outcome: 'fail' };

/**
 * At the end of the window: with virtual fill switched on and at least the configured number of
 * real paid members (and at least one), the empty seats are filled and the group succeeds;
 * otherwise it fails and every paid order is refunded.
 */
export function decideAtExpiry(f: ExpiryFacts): ExpiryOutcome {
  const minReal = Math.max(1, f.virtualFillMinReal);
  if (f.virtualFill && f.realPaid >= minReal && f.realPaid < f.groupSize) {
    return { outcome: 'fill', virtualSeats: f.groupSize - f.realPaid };
  }
  return { outcome: 'fail' };
}

export interface JoinFacts {
  authenticated: boolean;
  campaignLive: boolean;
  group: { status: GroupStatus; groupSize: number; seatsTaken: number; expiresAt: Date };
  alreadyMember: boolean;
  now: Date;
}

/** Why a join would be refused now, in the order the join itself checks; null when allowed. */
export function joinBlockedBy(f: JoinFacts): Exclude<GroupJoinBlocker, 'GROUP_NOT_FOUND'> | null {
  if (!f.authenticated) return 'UNAUTHENTICATED';
  if (!f.campaignLive) return 'CAMPAIGN_NOT_ACTIVE';
  if (f.alreadyMember) return 'ALREADY_IN_GROUP';
  const { group } = f;
  if (group.status === 'failed' || ((group.status === 'open' || group.status === 'pending') && isExpired(group.expiresAt, f.now))) {
    return 'GROUP_EXPIRED';
  }
  if (group.status === 'succeeded' || group.seatsTaken >= group.groupSize) return 'GROUP_FULL';
  if (group.status === 'pending') return 'GROUP_NOT_OPEN';
  return null;
}

/** The per-user limit counts the user's active orders of the product, this one included. */
export function withinPurchaseLimit(activeOrders: number, perUserLimit: number): boolean {
  return activeOrders < perUserLimit;
}

export interface ProductInput {
  title: string;
  images?: string[];
  price: number;
  groupPrice: number;
  groupSize: number;
  groupWindowSeconds?: number;
  stock: number;
  perUserLimit?: number;
  /** Null or absent: no virtual fill. */
  virtualFill?: { minRealMembers: number } | null;
}

const isFen = (n: number) => Number.isSafeInteger(n) && n > 0;

/** Everything wrong with a product an operator submits; empty when it can be sold. */
export function productProblems(p: ProductInput): string[] {
  const out: string[] = [];
  if (p.title.trim().length === 0) out.push('title must not be empty');
  if (!isFen(p.price)) out.push('price must be a positive whole number of fen');
  if (!isFen(p.groupPrice)) out.push('groupPrice must be a positive whole number of fen');
  else if (isFen(p.price) && p.groupPrice > p.price) out.push('groupPrice must not exceed price');
  if (!Number.isInteger(p.groupSize) || p.groupSize < GROUP_SIZE_MIN || p.groupSize > GROUP_SIZE_MAX) {
    out.push(`groupSize must be a whole number from ${GROUP_SIZE_MIN} to ${GROUP_SIZE_MAX}`);
  }
  if (p.groupWindowSeconds !== undefined && !(Number.isInteger(p.groupWindowSeconds) && p.groupWindowSeconds > 0)) {
    out.push('groupWindowSeconds must be a positive whole number');
  }
  if (!Number.isInteger(p.stock) || p.stock < 0) out.push('stock must be a whole number ≥ 0');
  if (p.perUserLimit !== undefined && !(Number.isInteger(p.perUserLimit) && p.perUserLimit >= 1)) {
    out.push('perUserLimit must be a whole number ≥ 1');
  }
  if (p.virtualFill) {
    const m = p.virtualFill.minRealMembers;
    if (!Number.isInteger(m) || m < 1 || m >= p.groupSize) {
      out.push('virtualFill.minRealMembers must be at least 1 and below groupSize');
    }
  }
  return out;
}

/** What a member pays: the group price, in fen. */
export function orderAmount(product: { groupPrice: number }): number {
  return product.groupPrice;
}

/**
 * When a failed refund is tried again: doubling from `baseSeconds`, capped at an hour. After
 * `maxAttempts` failures the refund is stuck and waits for an operator instead.
 */
export function nextRefundAttempt(
  attemptsSoFar: number,
  settings: { baseSeconds: number; maxAttempts: number },
): { stuck: true } | { stuck: false; delaySeconds: number } {
  if (attemptsSoFar >= settings.maxAttempts) return { stuck: true };
  const delaySeconds = Math.min(3600, settings.baseSeconds * 2 ** Math.max(0, attemptsSoFar - 1));
  return { stuck: false, delaySeconds };
}
