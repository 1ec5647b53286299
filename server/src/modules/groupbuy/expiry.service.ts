import { decideAtExpiry } from './group-rules.js';
import type { GroupBuyDeps } from './groupbuy.deps.js';
import { requireProduct } from './groupbuy.service.js';
import { addVirtualSeats, claimExpiredGroup, claimGroupWithOverdueOrder, markClosed } from './groups.repository.js';
import type { Executor } from '../../db/client.js';
import { ordersOfGroup, type OrderRow } from './orders.repository.js';
import { settleUnpaidIn } from './payments.service.js';
import { cancelUnpaid, groupNotices, succeedGroup } from './orders.service.js';
import { startRefunds } from './refunds.service.js';

// What runs out: group buys whose time is up and unpaid orders past their deadline. Each step is
// one transaction on one group, claimed with SKIP LOCKED (the jobs in groupbuy.jobs.ts repeat it).

/**
 * The unpaid orders among `orders` asked about on the platform (settleUnpaidIn): the paid ones are
 * applied, the rest closed there. `closed` may be cancelled here; `allKnown` is false when the
 * platform could not tell for one of them, whose order then waits for the next run, because
 * cancelling an order the buyer may have paid is a guess.
 */
async function settleUnpaidOrders(deps: GroupBuyDeps, tx: Executor, orders: OrderRow[]): Promise<{ closed: string[]; allKnown: boolean }> {
  const closed: string[] = [];
  let allKnown = true;
  for (const o of orders.filter((x) => x.status === 'pending_payment')) {
    const outcome = await settleUnpaidIn(deps, tx, o.id);
    if (outcome === 'closed') closed.push(o.id);
    if (outcome === 'unknown') allKnown = false;
  }
  return { closed, allKnown };
}

/**
 * Closes one group buy whose time is up, in one transaction: unpaid seats are cancelled, then it
 * either fills virtually and succeeds or fails and refunds every paid order. False when none is due.
 */
export async function closeOneExpiredGroup(deps: GroupBuyDeps, skip: Set<string> = new Set()): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const group = await claimExpiredGroup(tx, now, [...skip]);
    if (!group) return false;
    if (!(await settleUnpaidOrders(deps, tx, await ordersOfGroup(tx, group.id))).allKnown) {
      skip.add(group.id);
      return true;
    }
    const orders = await ordersOfGroup(tx, group.id);
    await cancelUnpaid(tx, group, orders.filter((o) => o.status === 'pending_payment').map((o) => o.id), now);
    const paid = orders.filter((o) => o.status === 'paid');
    const product = await requireProduct(tx, group.productId);
    const decision =
      group.status === 'open'
        ? decideAtExpiry({ groupSize: group.groupSize, realPaid: paid.length, virtualFill: product.virtualFill, virtualFillMinReal: product.virtualFillMinReal })
        : ({ outcome: 'fail' } as const);
    if (decision.outcome === 'fill') {
      await addVirtualSeats(tx, group.id, decision.virtualSeats, now);
      await succeedGroup(deps, tx, group, now, 'group_virtually_filled');
      return true;
    }
    await markClosed(tx, group.id, 'failed', now);
    await startRefunds(tx, { orderIds: paid.map((o) => o.id), from: 'paid', productId: group.productId, reason: 'group_failed', now });
    await deps.notifier.notify(tx, groupNotices(group, paid, 'group_failed', product.title, now), now);
    return true;
  });
}

/** Cancels the overdue unpaid orders of one open group buy; false when there are none. */
export async function cancelOneGroupsOverdueOrders(deps: GroupBuyDeps, skip: Set<string> = new Set()): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const group = await claimGroupWithOverdueOrder(tx, now, [...skip]);
    if (!group) return false;
    const overdue = (await ordersOfGroup(tx, group.id)).filter((o) => o.status === 'pending_payment' && o.payDeadline <= now);
    const { closed, allKnown } = await settleUnpaidOrders(deps, tx, overdue);
    await cancelUnpaid(tx, group, closed, now);
    if (!allKnown) skip.add(group.id);
    return true;
  });
}
