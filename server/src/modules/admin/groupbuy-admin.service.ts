import type { AdminOrder, AdminOrderQuery, AdminRefund, PaymentAnomaly } from '@jizan/shared';
import type { Db } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import type { GroupBuyDeps } from '../groupbuy/groupbuy.deps.js';
import { listStuckRefunds, retryStuckRefund, type RefundRequest } from '../groupbuy/refunds.service.js';
import { recordAudit, type Actor } from '../operators/audit.service.js';
import type { KeyPart } from '../operators/paging.js';
import * as repo from './groupbuy-admin.repository.js';

export function ordersPage(deps: { db: Db }, q: AdminOrderQuery & { after: KeyPart[] | null; limit: number }) {
  const after = q.after ? { createdAt: new Date(String(q.after[0])), id: String(q.after[1]) } : null;
  return repo.listOrders(deps.db, {
    ...(q.campaignId ? { campaignId: q.campaignId } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.userId ? { userId: q.userId } : {}),
    after,
    limit: q.limit,
  });
}

export function toAdminOrder(row: repo.AdminOrderRow): AdminOrder {
  return {
    id: row.id,
    campaignId: row.campaignId,
    userId: row.userId,
    productId: row.productId,
    groupId: row.groupId,
    status: row.status,
    amount: row.amount,
    paidAmount: row.paidAmount,
    refundedAmount: row.refundedAmount,
    payDeadline: row.payDeadline.toISOString(),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toAdminRefund(row: RefundRequest): AdminRefund {
  return {
    id: row.id,
    orderId: row.orderId,
    paymentId: row.paymentId,
    amount: row.amount,
    reason: row.reason,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt.toISOString(),
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function stuckRefunds(deps: { db: Db }): Promise<AdminRefund[]> {
  return (await listStuckRefunds(deps)).map(toAdminRefund);
}

/**
 * An operator sends a stuck refund round again. The request is locked first, so the state check,
 * the reset and its audit row commit together and a second retry at the same moment sees `pending`.
 */
export async function retryRefundAsOperator(deps: GroupBuyDeps, actor: Actor, id: string): Promise<AdminRefund> {
  return deps.db.transaction(async (tx) => {
    const moved = await retryStuckRefund({ db: tx, clock: deps.clock }, id);
    const after = toAdminRefund(moved.after);
    await recordAudit(tx, actor, deps.clock.now(), { action: 'refund.retry', targetType: 'refund', targetId: id, before: toAdminRefund(moved.before), after });
    return after;
  });
}

export function anomaliesPage(deps: { db: Db }, q: { beforeId: number | null; limit: number }) {
  return repo.listPaymentAnomalies(deps.db, q);
}

export function toPaymentAnomaly(row: repo.PaymentAnomalyRow): PaymentAnomaly {
  return {
    id: row.id,
    provider: row.provider,
    kind: row.kind,
    outTradeNo: row.outTradeNo,
    transactionId: row.transactionId,
    orderId: row.orderId,
    amount: row.amount,
    detail: row.detail,
    createdAt: row.createdAt.toISOString(),
  };
}
