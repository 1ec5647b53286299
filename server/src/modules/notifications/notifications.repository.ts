import { and, asc, count, desc, eq, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { NotificationKind, TemplateKey } from '@jizan/shared';
import type { Executor } from '../../db/client.js';
import { notifications, users } from '../../db/schema/index.js';

export type NotificationRow = typeof notifications.$inferSelect;

/** A message to keep in the inbox and, when it has a template, to send. */
export interface NewMessage {
  userId: string;
  kind: NotificationKind;
  groupId?: string | null;
  /** What makes it once-only when it is not about a group (a like window, a reward, a campaign). */
  dedupeKey?: string | null;
  title: string;
  payload: Record<string, unknown>;
  templateKey: TemplateKey;
}

// ---- Writing ----

/**
 * ON CONFLICT DO NOTHING on the two once-keys (user, group, kind) and (user, kind, dedupe key):
 * an event told twice (a replayed notification, a rerun job) writes its message once.
 */
export async function insertMessages(ex: Executor, messages: NewMessage[], at: Date): Promise<number> {
  if (messages.length === 0) return 0;
  const rows = await ex
    .insert(notifications)
    .values(
      messages.map((m) => ({
        userId: m.userId,
        kind: m.kind,
        groupId: m.groupId ?? null,
        dedupeKey: m.dedupeKey ?? null,
        title: m.title,
        payload: m.payload,
        templateKey: m.templateKey,
        delivery: 'pending' as const,
        nextDeliveryAt: at,
        createdAt: at,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: notifications.id });
  return rows.length;
}

// ---- The inbox ----

export async function inboxOf(ex: Executor, userId: string, limit: number): Promise<NotificationRow[]> {
  return ex.select().from(notifications).where(eq(notifications.userId, userId)).orderBy(desc(notifications.id)).limit(limit);
}

export async function unreadCount(ex: Executor, userId: string): Promise<number> {
  const [row] = await ex
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return Number(row?.n ?? 0);
}

/** Marks mine read: the listed ids (others' ids match nothing), or all when `ids` is null. */
export async function markRead(ex: Executor, userId: string, ids: number[] | null, at: Date): Promise<void> {
  await ex
    .update(notifications)
    .set({ readAt: at })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), ids ? inArray(notifications.id, ids) : undefined));
}

// ---- The sender ----

export interface ClaimedMessage {
  id: number;
  userId: string;
  openid: string;
  kind: NotificationKind;
  templateKey: string;
  payload: unknown;
  attempts: number;
  creditHeld: boolean;
}

/**
 * Up to `limit` messages due for a send, claimed until `until`: FOR UPDATE SKIP LOCKED keeps two
 * instances' claims apart while they are written, and `claimed_until` keeps the others off each
 * message for the send that follows outside the transaction (a claim whose sender died runs out and
 * the message is taken again). Only messages with a template: older outbox rows have none and stay
 * in the inbox.
 */
export async function claimDue(ex: Executor, now: Date, until: Date, limit: number): Promise<ClaimedMessage[]> {
  const due = await ex
    .select({ id: notifications.id })
    .from(notifications)
    .where(
      and(
        eq(notifications.delivery, 'pending'),
        lte(notifications.nextDeliveryAt, now),
        isNotNull(notifications.templateKey),
        or(isNull(notifications.claimedUntil), lte(notifications.claimedUntil, now)),
      ),
    )
    .orderBy(asc(notifications.nextDeliveryAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  if (due.length === 0) return [];
  const claimed = await ex
    .update(notifications)
    .set({ claimedUntil: until, deliveryAttempts: sql`${notifications.deliveryAttempts} + 1` })
    .where(inArray(notifications.id, due.map((d) => d.id)))
    .returning({
      id: notifications.id,
      userId: notifications.userId,
      kind: notifications.kind,
      templateKey: notifications.templateKey,
      payload: notifications.payload,
      attempts: notifications.deliveryAttempts,
      creditHeld: notifications.creditHeld,
    });
  const openids = await ex
    .select({ id: users.id, openid: users.openid })
    .from(users)
    .where(inArray(users.id, [...new Set(claimed.map((c) => c.userId))]));
  const openidOf = new Map(openids.map((u) => [u.id, u.openid]));
  return claimed
    .sort((a, b) => a.id - b.id)
    .map((c) => ({ ...c, templateKey: c.templateKey!, openid: openidOf.get(c.userId) ?? '' }));
}

export type Settled =
  | { delivery: 'sent'; at: Date }
  | { delivery: 'inbox' | 'refused' | 'failed'; error: string | null; releaseCredit?: boolean }
  | { delivery: 'pending'; retryAt: Date; error: string };

/** The sender's verdict on a message it holds; the claim ends with it. */
export async function settle(ex: Executor, id: number, s: Settled): Promise<void> {
  const set =
    s.delivery === 'sent'
      ? { delivery: s.delivery, deliveredAt: s.at, nextDeliveryAt: null, deliveryError: null }
      : s.delivery === 'pending'
        ? { nextDeliveryAt: s.retryAt, deliveryError: s.error }
        : { delivery: s.delivery, nextDeliveryAt: null, deliveryError: s.error, ...(s.releaseCredit ? { creditHeld: false } : {}) };
  await ex
    .update(notifications)
    .set({ ...set, claimedUntil: null })
    .where(and(eq(notifications.id, id), eq(notifications.delivery, 'pending')));
}

/** The message now holds the credit its send took (in the transaction that took it). */
export async function holdCredit(ex: Executor, id: number): Promise<void> {
  await ex.update(notifications).set({ creditHeld: true }).where(eq(notifications.id, id));
}

// ---- Admin ----

/** Messages by template and delivery state (rows without a template are older than the sender). */
export async function deliveryCounts(ex: Executor, since: Date | null) {
  return ex
    .select({ templateKey: notifications.templateKey, delivery: notifications.delivery, n: count() })
    .from(notifications)
    .where(and(isNotNull(notifications.templateKey), since ? sql`${notifications.createdAt} >= ${since}` : undefined))
    .groupBy(notifications.templateKey, notifications.delivery);
}
