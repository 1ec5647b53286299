import { Type, type Static } from 'typebox';
import { AdminPageQuery } from './admin.js';
import { Fen, Id, Timestamp } from './common.js';
import { OrderStatus, RefundStatus } from './groupbuy.js';

/** The group buy's money as operators see it (`/admin/v1/orders`, `/refunds`, `/payment-anomalies`); amounts in fen. */

export const AdminOrder = Type.Object(
  {
    id: Id,
    campaignId: Id,
    userId: Id,
    productId: Id,
    groupId: Id,
    status: OrderStatus,
    amount: Fen,
    paidAmount: Fen,
    refundedAmount: Fen,
    payDeadline: Timestamp,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  {
    examples: [
      {
        id: '7f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
        campaignId: '5b0e7c1e-6a57-4d4c-9a0e-0c8f4b1d2e3f',
        userId: '9d2b1f4e-3c5a-4e7b-8f1d-2a6c9e0b7d31',
        productId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
        groupId: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
        status: 'grouped',
        amount: 1990,
        paidAmount: 1990,
        refundedAmount: 0,
        payDeadline: '2026-11-11T04:15:00.000Z',
        createdAt: '2026-11-11T04:00:00.000Z',
        updatedAt: '2026-11-11T04:01:00.000Z',
      },
    ],
  },
);
export type AdminOrder = Static<typeof AdminOrder>;

export const AdminOrderQuery = Type.Object({
  ...AdminPageQuery.properties,
  campaignId: Type.Optional(Id),
  status: Type.Optional(OrderStatus),
  userId: Type.Optional(Id),
  /** `csv` streams every matching order as CSV, like `Accept: text/csv` (a link in a browser cannot set headers). */
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
});
export type AdminOrderQuery = Static<typeof AdminOrderQuery>;

const STUCK_REFUND_EXAMPLE = {
  id: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
  orderId: '7f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
  paymentId: 17,
  amount: 1990,
  reason: 'group_failed',
  status: 'stuck',
  attempts: 5,
  nextAttemptAt: '2026-11-12T04:00:00.000Z',
  lastError: 'insufficient merchant balance',
  createdAt: '2026-11-12T04:00:00.000Z',
  updatedAt: '2026-11-12T09:00:00.000Z',
};

export const AdminRefund = Type.Object(
  {
    id: Id,
    orderId: Id,
    paymentId: Type.Integer(),
    amount: Fen,
    reason: Type.String({ examples: ['group_failed', 'after_sale', 'late_payment', 'duplicate_payment'] }),
    status: RefundStatus,
    attempts: Type.Integer({ minimum: 0 }),
    nextAttemptAt: Timestamp,
    lastError: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { examples: [STUCK_REFUND_EXAMPLE] },
);
export type AdminRefund = Static<typeof AdminRefund>;

export const AdminRefundQuery = Type.Object({ status: Type.Literal('stuck', { description: 'Only stuck refunds are listed: the ones waiting for an operator' }) });
export type AdminRefundQuery = Static<typeof AdminRefundQuery>;

export const AdminRefundList = Type.Object({ items: Type.Array(AdminRefund) }, { examples: [{ items: [STUCK_REFUND_EXAMPLE] }] });
export type AdminRefundList = Static<typeof AdminRefundList>;

export const PaymentAnomaly = Type.Object(
  {
    id: Type.Integer(),
    provider: Type.String(),
    kind: Type.Union([Type.Literal('unknown_order'), Type.Literal('amount_mismatch'), Type.Literal('payer_mismatch')]),
    outTradeNo: Type.String(),
    transactionId: Type.String(),
    orderId: Type.Union([Id, Type.Null()]),
    amount: Fen,
    detail: Type.Unknown(),
    createdAt: Timestamp,
  },
  {
    examples: [
      {
        id: 3,
        provider: 'wechatpay',
        kind: 'amount_mismatch',
        outTradeNo: 'JZ7f1c2d3e4b5a4c6d8e7f9a0b1c2d3e4f',
        transactionId: '4200000000202611110000000001',
        orderId: '7f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
        amount: 1,
        detail: { expected: 1990 },
        createdAt: '2026-11-11T04:02:00.000Z',
      },
    ],
  },
);
export type PaymentAnomaly = Static<typeof PaymentAnomaly>;
