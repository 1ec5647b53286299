import { Type, type Static } from 'typebox';
import { LIMITS } from '../constants.js';
import { Fen, Id, Timestamp, UserSummary } from './common.js';


export const GROUP_SIZE_MIN = 2;
export const GROUP_SIZE_MAX = 10;

export const Product = Type.Object({
  id: Id,
  campaignId: Id,
  title: Type.String(),
  images: Type.Array(Type.String()),
  /** List price. */
  price: Fen,
  /** What each member pays in a group buy. */
  groupPrice: Fen,
  /** Seats a group buy of this product needs to succeed (N). */
  groupSize: Type.Integer({ minimum: GROUP_SIZE_MIN, maximum: GROUP_SIZE_MAX }),
  /** How long an opened group buy stays open for friends to join. */
  groupWindowSeconds: Type.Integer({ minimum: 1 }),
  stock: Type.Integer({ minimum: 0 }),
  /** Active orders (unpaid, paid or to ship) one user may hold of this product. */
  perUserLimit: Type.Integer({ minimum: 1 }),
}, {
  examples: [
    {
      id: 'a7c3e1f0-2b4d-4e6f-8a1b-3c5d7e9f0a2b',
      campaignId: '5b0e7c1e-6a57-4d4c-9a0e-0c8f4b1d2e3f',
      title: '保温杯',
      images: ['https://img.example.com/cup.jpg'],
      price: 9900,
      groupPrice: 5900,
      groupSize: 3,
      groupWindowSeconds: 86400,
      stock: 500,
      perUserLimit: 1,
    },
  ],
});
export type Product = Static<typeof Product>;

export const ProductListQuery = Type.Object({ campaignId: Id });
export type ProductListQuery = Static<typeof ProductListQuery>;

export const ProductListResponse = Type.Object({ products: Type.Array(Product) });
export type ProductListResponse = Static<typeof ProductListResponse>;

/**
 * `pending`: placed but the opener's payment is not confirmed yet (only ever seen by the opener,
 * and never with the dev payment provider, which confirms as the order is placed);
 * `open`: friends may join; `succeeded`: the N-th seat was paid; `failed`: the window ended first.
 */
export const GroupStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('open'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
]);
export type GroupStatus = Static<typeof GroupStatus>;

/** An open group buy as the product page lists it: who opened it, seats left and a countdown. */
export const OpenGroupSummary = Type.Object({
  id: Id,
  opener: UserSummary,
  seatsLeft: Type.Integer({ minimum: 1 }),
  expiresAt: Timestamp,
});
export type OpenGroupSummary = Static<typeof OpenGroupSummary>;

export const ProductDetail = Type.Object({
  ...Product.properties,
  /** Open group buys with seats left, soonest to expire first. */
  openGroups: Type.Array(OpenGroupSummary),
});
export type ProductDetail = Static<typeof ProductDetail>;

/**
 * pending_payment → paid → grouped (to ship) | refunding → refunded; cancelled when unpaid in
 * time. A grouped order can still be refunded after sale (grouped → refunding).
 */
export const OrderStatus = Type.Union([
  Type.Literal('pending_payment'),
  Type.Literal('paid'),
  Type.Literal('grouped'),
  Type.Literal('refunding'),
  Type.Literal('refunded'),
  Type.Literal('cancelled'),
]);
export type OrderStatus = Static<typeof OrderStatus>;

/** A refund in progress: `stuck` means it kept failing and waits for an operator. */
export const RefundStatus = Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('stuck')]);
export type RefundStatus = Static<typeof RefundStatus>;

/**
 * The platform's pay sheet (`wx.requestPayment` / `Taro.requestPayment`), signed by the server with
 * the merchant key over `appId\ntimeStamp\nnonceStr\npackage\n`: the mini-program passes it as is.
 */
export const PaySheet = Type.Object({
  timeStamp: Type.String({ pattern: '^[0-9]{1,12}$' }),
  nonceStr: Type.String({ minLength: 1, maxLength: 32 }),
  package: Type.String({ pattern: '^prepay_id=' }),
  signType: Type.Literal('RSA'),
  paySign: Type.String({ minLength: 1 }),
});
export type PaySheet = Static<typeof PaySheet>;

/** What the client hands to the platform's pay sheet; absent once the payment is confirmed. */
export const PaymentRequest = Type.Object({
  /** `wechatpay`; the simulator (development, tests) speaks the same protocol under the same name. */
  provider: Type.String(),
  params: PaySheet,
});
export type PaymentRequest = Static<typeof PaymentRequest>;

export const Order = Type.Object({
  id: Id,
  status: OrderStatus,
  /** What the order costs: the group price at placement, less its coupon's discount. */
  amount: Fen,
  /** Fen its coupon took off the group price (0 without one); the coupon is given back if the order is cancelled or refunded. */
  couponDiscount: Type.Optional(Fen),
  productId: Id,
  productTitle: Type.String(),
  groupId: Id,
  /** Sum of the payments received for the order. */
  paidAmount: Fen,
  /** Sum of the refunds that reached the buyer. */
  refundedAmount: Fen,
  /** An unpaid order is cancelled (stock and seat released) at this instant. */
  payDeadline: Timestamp,
  /** The order's refund, when one was started. */
  refund: Type.Union([Type.Object({ status: RefundStatus, attempts: Type.Integer({ minimum: 0 }) }), Type.Null()]),
  /** Present while the order waits for the buyer to pay through the platform. */
  payment: Type.Optional(PaymentRequest),
  createdAt: Timestamp,
});
export type Order = Static<typeof Order>;

/** A seat holder: the user's own fields (`id` is the user's, null for a virtual seat), then the seat's. */
export const GroupMember = Type.Object({
  id: Type.Union([Id, Type.Null()]),
  nickname: Type.String(),
  avatarUrl: Type.Union([Type.String(), Type.Null()]),
  isOpener: Type.Boolean(),
  /** A seat filled by virtual fill at expiry rather than by a real buyer. */
  virtual: Type.Boolean(),
  /** False while the member's order waits for payment (the seat is held meanwhile). */
  paid: Type.Boolean(),
  joinedAt: Timestamp,
});
export type GroupMember = Static<typeof GroupMember>;

export const Group = Type.Object({
  id: Id,
  productId: Id,
  campaignId: Id,
  status: GroupStatus,
  groupSize: Type.Integer({ minimum: GROUP_SIZE_MIN, maximum: GROUP_SIZE_MAX }),
  /** Current seat holders, opener first; members refunded after sale are no longer listed. */
  members: Type.Array(GroupMember),
  /** Seats a friend can still take now (0 unless the group is open). */
  seatsLeft: Type.Integer({ minimum: 0 }),
  realMembers: Type.Integer({ minimum: 0 }),
  virtualMembers: Type.Integer({ minimum: 0 }),
  /** While pending: the opener's payment deadline; once open: the end of the join window. */
  expiresAt: Timestamp,
  openedAt: Type.Union([Timestamp, Type.Null()]),
  closedAt: Type.Union([Timestamp, Type.Null()]),
  /** The caller's order in this group buy, if they hold one. */
  myOrder: Type.Union([Order, Type.Null()]),
});
export type Group = Static<typeof Group>;

/** `couponId`: one of my available coupons of the product's campaign, redeemed on this order. */
export const OpenGroupBody = Type.Object({ productId: Id, couponId: Type.Optional(Id) });
export type OpenGroupBody = Static<typeof OpenGroupBody>;

export const JoinGroupBody = Type.Object({ couponId: Type.Optional(Id) });
export type JoinGroupBody = Static<typeof JoinGroupBody>;

/** The newest `limit` entries of a short personal list (orders, notifications). */
export const LimitQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.pageSizeMax })),
});
export type LimitQuery = Static<typeof LimitQuery>;

export const MyOrdersResponse = Type.Object({ orders: Type.Array(Order) });
export type MyOrdersResponse = Static<typeof MyOrdersResponse>;

// The inbox (Notification, MyNotificationsResponse) lives in notifications.ts.

/** Where the platform posts payment and refund notifications (WeChat Pay v3: signed headers, encrypted resource). */
export const WECHATPAY_NOTIFY_PATH = '/v1/payments/wechatpay/notify';

/** The platform's own failure answer to a notification: anything but 200/204 makes it deliver again. */
export const NotificationFailure = Type.Object({ code: Type.Literal('FAIL'), message: Type.String() });
export type NotificationFailure = Static<typeof NotificationFailure>;

/** The simulated pay sheet's answer (development): what `requestPayment` resolves or rejects with. */
export const SimulatedPayResult = Type.Object({ errMsg: Type.String() });
export type SimulatedPayResult = Static<typeof SimulatedPayResult>;
