import type { OrderStatus } from '@jizan/shared';
import { AppError } from '../../lib/errors.js';

/**
 * Every legal order transition; anything not listed is refused. `grouped → refunding` is the
 * after-sale refund of a member of a succeeded group buy.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending_payment: ['paid', 'cancelled'],
  paid: ['grouped', 'refunding'],
  grouped: ['refunding'],
  refunding: ['refunded'],
  refunded: [],
  cancelled: [],
};

export const ORDER_STATUSES = Object.keys(ORDER_TRANSITIONS) as OrderStatus[];

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) {
    throw new AppError('ORDER_STATE_INVALID', `An order cannot go from ${from} to ${to}`, { from, to });
  }
}

/** Orders that count against a product's per-user limit: placed and not given back. */
export const ACTIVE_ORDER_STATUSES = ['pending_payment', 'paid', 'grouped'] as const satisfies readonly OrderStatus[];

export function isTerminal(status: OrderStatus): boolean {
  return ORDER_TRANSITIONS[status].length === 0;
}
