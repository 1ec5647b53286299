import { LIMITS, TEMPLATE_KEYS, type MessageStats, type MyNotificationsResponse, type Notification, type NotificationKind, type ReadNotificationsResponse } from '@jizan/shared';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { iso } from '../../lib/time.js';
import type { SubscribeTemplates } from '../../subscribe-config.js';
import { messageText, type Facts } from './message-rules.js';
import * as repo from './notifications.repository.js';

// ---- Writing (the producers' one entry) ----

/** An event's message to one user; `facts` fill its text here and its template's fields when sent. */
export interface MessageEvent {
  userId: string;
  kind: NotificationKind;
  /** The group it is about: (user, group, kind) is its once-key. */
  groupId?: string;
  /** Otherwise its once-key within (user, kind): the like window, the reward, the campaign. */
  dedupeKey?: string;
  facts: Facts;
}

/**
 * Writes each event's message to its user's inbox and the sender's queue, once per event however
 * often it is told. Meant to run in the producer's transaction (`tx` last), so a message exists if
 * and only if its event committed; it never calls the platform, so a like, a join or a payment
 * never waits on it.
 */
export async function writeMessages(events: MessageEvent[], at: Date, tx: Executor): Promise<number> {
  return repo.insertMessages(
    tx,
    events.map((e) => {
      const { title, body } = messageText(e.kind, e.facts);
      return {
        userId: e.userId,
        kind: e.kind,
        groupId: e.groupId ?? null,
        dedupeKey: e.dedupeKey ?? null,
        title,
        payload: { facts: e.facts, body },
        templateKey: e.kind,
      };
    }),
    at,
  );
}

// ---- The inbox ----

interface Payload {
  facts?: Facts;
  body?: string;
}

/** The page a message opens in the app (the inbox's tap), from what it is about. */
export function inboxPage(kind: NotificationKind, groupId: string | null, facts: Facts): string | null {
  if (groupId) return `/subpackages/groupbuy/group/index?id=${groupId}`;
  const campaignId = typeof facts.campaignId === 'string' ? facts.campaignId : null;
  if (!campaignId) return null;
  if (kind === 'reward_ready' || kind === 'transfer_confirm') return `/subpackages/redpackets/mine/index?campaignId=${campaignId}`;
  return `/pages/home/index?campaignId=${campaignId}`;
}

function toNotification(n: repo.NotificationRow): Notification {
  const payload = (n.payload ?? {}) as Payload;
  const facts = payload.facts ?? {};
  return {
    id: String(n.id),
    kind: n.kind,
    groupId: n.groupId,
    title: n.title,
    body: payload.body ?? '',
    page: inboxPage(n.kind, n.groupId, facts),
    readAt: n.readAt ? iso(n.readAt) : null,
    createdAt: iso(n.createdAt),
  };
}

export async function myNotifications(deps: { db: Executor }, userId: string, limit: number = LIMITS.pageSizeDefault): Promise<MyNotificationsResponse> {
  const [found, unread] = await Promise.all([repo.inboxOf(deps.db, userId, limit), repo.unreadCount(deps.db, userId)]);
  return { notifications: found.map(toNotification), unread };
}

/** Marks the listed messages of mine read, or all of them; answers how many stay unread. */
export async function readNotifications(
  deps: { db: Db; clock: Clock },
  userId: string,
  body: { ids?: string[]; all?: boolean },
): Promise<ReadNotificationsResponse> {
  if (!body.all && !body.ids?.length) {
    throw new AppError('VALIDATION_FAILED', '请指定要标为已读的消息 / Name the messages to mark read (ids), or all: true');
  }
  await repo.markRead(deps.db, userId, body.all ? null : body.ids!.map(Number), deps.clock.now());
  return { unread: await repo.unreadCount(deps.db, userId) };
}

// ---- Admin ----

/** Per template, what became of its messages (operators' view of reach). */
export async function messageStats(deps: { db: Executor; templates: SubscribeTemplates }, since: Date | null): Promise<MessageStats> {
  const counts = await repo.deliveryCounts(deps.db, since);
  const of = (key: string, delivery: string) => Number(counts.find((c) => c.templateKey === key && c.delivery === delivery)?.n ?? 0);
  return {
    since: since ? iso(since) : null,
    templates: TEMPLATE_KEYS.map((key) => {
      const [delivered, refused, failed] = [of(key, 'sent'), of(key, 'refused'), of(key, 'failed')];
      return {
        key,
        templateId: deps.templates[key]?.templateId ?? null,
        sent: delivered + refused + failed,
        delivered,
        refused,
        failed,
        inboxOnly: of(key, 'inbox'),
        pending: of(key, 'pending'),
      };
    }),
  };
}
