import { Type, type Static } from 'typebox';
import { Id, Timestamp } from './common.js';
import { LIMITS } from '../constants.js';

// ---- Subscribe messages ----

/**
 * Our names for the chat platform's subscribe-message templates. Which platform template each one
 * is (its `templateId`) and how our facts fill its fields is configuration (JIZAN_SUBSCRIBE_TEMPLATES).
 */
export const TEMPLATE_KEYS = [
  'group_succeeded',
  'group_failed',
  'group_reminder',
  'reward_ready',
  'transfer_confirm',
  'friend_liked',
  'campaign_again',
] as const;
export const TemplateKey = Type.Union([
  Type.Literal('group_succeeded'),
  Type.Literal('group_failed'),
  Type.Literal('group_reminder'),
  Type.Literal('reward_ready'),
  Type.Literal('transfer_confirm'),
  Type.Literal('friend_liked'),
  Type.Literal('campaign_again'),
]);
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];
// The union above spells the tuple out (TypeBox types a mapped array as never); these keep them one list.
const _templateKeysAgree: Static<typeof TemplateKey> extends TemplateKey ? (TemplateKey extends Static<typeof TemplateKey> ? true : never) : never = true;
void _templateKeysAgree;

/**
 * The moments the mini-program asks for subscriptions, right after the user acted (the platform
 * only shows its sheet inside a tap's handler): after opening or joining a group, after claiming a
 * reward, after liking. One `Taro.requestSubscribeMessage` call takes at most 3 template ids.
 */
export const SUBSCRIBE_MOMENTS = ['after_group', 'after_claim', 'after_like'] as const;
export type SubscribeMoment = (typeof SUBSCRIBE_MOMENTS)[number];

/** The most template ids one requestSubscribeMessage call may ask for (the platform's limit). */
export const SUBSCRIBE_IDS_PER_ASK = 3;

/** Which templates each moment asks for, in order (at most SUBSCRIBE_IDS_PER_ASK each). */
export const MOMENT_TEMPLATES: Record<SubscribeMoment, readonly TemplateKey[]> = {
  after_group: ['group_succeeded', 'group_failed', 'group_reminder'],
  after_claim: ['reward_ready', 'transfer_confirm', 'campaign_again'],
  after_like: ['friend_liked', 'campaign_again'],
};

export const SubscriptionTemplate = Type.Object({
  key: TemplateKey,
  /** The platform's template id: what requestSubscribeMessage takes in `tmplIds`. */
  templateId: Type.String(),
  /** How many more messages of it may be sent to me (each accepted ask adds one; each send spends one). */
  credits: Type.Integer({ minimum: 0 }),
});
export type SubscriptionTemplate = Static<typeof SubscriptionTemplate>;

/**
 * `GET /v1/me/subscriptions`: the configured templates and my credits, and for each moment the
 * template ids to pass to `Taro.requestSubscribeMessage({ tmplIds })` (empty when none is configured:
 * then do not ask).
 */
export const MySubscriptionsResponse = Type.Object({
  templates: Type.Array(SubscriptionTemplate),
  moments: Type.Object({
    after_group: Type.Array(Type.String(), { maxItems: SUBSCRIBE_IDS_PER_ASK }),
    after_claim: Type.Array(Type.String(), { maxItems: SUBSCRIBE_IDS_PER_ASK }),
    after_like: Type.Array(Type.String(), { maxItems: SUBSCRIBE_IDS_PER_ASK }),
  }),
});
export type MySubscriptionsResponse = Static<typeof MySubscriptionsResponse>;

/** One template's answer in requestSubscribeMessage's result. Only `accept` grants a credit. */
export const SubscribeAnswer = Type.Union([Type.Literal('accept'), Type.Literal('reject'), Type.Literal('ban'), Type.Literal('filter')]);
export type SubscribeAnswer = Static<typeof SubscribeAnswer>;

/**
 * `POST /v1/me/subscriptions`: the object `requestSubscribeMessage` resolved with, as it is:
 * `{ errMsg: 'requestSubscribeMessage:ok', [templateId]: 'accept' | 'reject' | 'ban' | 'filter' }`.
 * Each accepted one-time template adds one credit; unknown template ids are ignored. Answers
 * `GET /v1/me/subscriptions`'s shape with the new credits. Send an Idempotency-Key so a retried
 * post does not count the acceptance twice.
 */
export const SubscribeResult = Type.Object(
  { errMsg: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: SubscribeAnswer, maxProperties: 50 },
);
export type SubscribeResult = { errMsg?: string } & Record<string, string>;

// ---- Inbox ----

/** What an inbox message is about. Each kind goes out as the subscribe-message template of the same name. */
export const NOTIFICATION_KINDS = TEMPLATE_KEYS;
export const NotificationKind = TemplateKey;
export type NotificationKind = TemplateKey;

/** A message in my in-app inbox (whether or not it also went out as a subscribe message). */
export const Notification = Type.Object({
  id: Type.String(),
  kind: NotificationKind,
  /** The group it is about; null for likes, rewards and campaigns. */
  groupId: Type.Union([Id, Type.Null()]),
  /** A short Chinese headline (拼团成功, 还差 2 人…). */
  title: Type.String(),
  /** One line of detail to show under the title. */
  body: Type.String(),
  /** The mini-program page it opens (`pages/…?…`), or null. */
  page: Type.Union([Type.String(), Type.Null()]),
  readAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
});
export type Notification = Static<typeof Notification>;

/** `GET /v1/me/notifications`: the newest messages and how many of all mine are unread (the home tab's badge). */
export const MyNotificationsResponse = Type.Object({
  notifications: Type.Array(Notification),
  unread: Type.Integer({ minimum: 0 }),
});
export type MyNotificationsResponse = Static<typeof MyNotificationsResponse>;

/** `POST /v1/me/notifications/read`: these of mine (`ids`), or every one (`all: true`), read now. */
export const ReadNotificationsBody = Type.Object({
  ids: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{1,19}$' }), { minItems: 1, maxItems: LIMITS.pageSizeMax })),
  all: Type.Optional(Type.Boolean()),
});
export type ReadNotificationsBody = Static<typeof ReadNotificationsBody>;

export const ReadNotificationsResponse = Type.Object({ unread: Type.Integer({ minimum: 0 }) });
export type ReadNotificationsResponse = Static<typeof ReadNotificationsResponse>;

// ---- Admin ----

/** One template's messages by what became of them. */
export const TemplateDeliveryStats = Type.Object({
  key: TemplateKey,
  /** The platform's template id configured now; null when it is not configured (all inbox-only). */
  templateId: Type.Union([Type.String(), Type.Null()]),
  /** Put to the platform: delivered + refused + failed. */
  sent: Type.Integer({ minimum: 0 }),
  /** The platform took it (errcode 0): in the user's service notifications. */
  delivered: Type.Integer({ minimum: 0 }),
  /** The platform refused it for good (43101 the user has no subscription left, 47003 the data…). */
  refused: Type.Integer({ minimum: 0 }),
  /** Given up after the retries (the platform unreachable or busy each time). */
  failed: Type.Integer({ minimum: 0 }),
  /** Kept in the in-app inbox only: no credit left, or no template configured. */
  inboxOnly: Type.Integer({ minimum: 0 }),
  /** Still waiting for the sender (due, or backing off). */
  pending: Type.Integer({ minimum: 0 }),
});
export type TemplateDeliveryStats = Static<typeof TemplateDeliveryStats>;

export const MessageStatsQuery = Type.Object({
  /** Only messages written from this moment; all when absent. */
  since: Type.Optional(Timestamp),
});
export type MessageStatsQuery = Static<typeof MessageStatsQuery>;

/** `GET /admin/v1/messages`: the subscribe messages per template. */
export const MessageStats = Type.Object(
  {
    since: Type.Union([Timestamp, Type.Null()]),
    templates: Type.Array(TemplateDeliveryStats),
  },
  {
    examples: [
      {
        since: null,
        templates: [
          { key: 'group_succeeded', templateId: 'sim-group-succeeded', sent: 120, delivered: 114, refused: 6, failed: 0, inboxOnly: 310, pending: 2 },
          { key: 'group_reminder', templateId: 'sim-group-reminder', sent: 80, delivered: 79, refused: 1, failed: 0, inboxOnly: 95, pending: 0 },
        ],
      },
    ],
  },
);
export type MessageStats = Static<typeof MessageStats>;
