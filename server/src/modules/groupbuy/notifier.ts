import type { NotificationKind } from '@jizan/shared';
import type { Executor } from '../../db/client.js';
import { insertNotifications } from './notifications.repository.js';

export interface GroupNotice {
  userId: string;
  kind: NotificationKind;
  groupId: string;
  title: string;
  payload: Record<string, unknown>;
}

/**
 * The notifier port: tells each member how their group buy ended. It is called inside the
 * transaction that closes the group, so a message exists if and only if the outcome committed.
 * In production the chat platform's subscribe messages go out from this outbox through a sender
 * job; in development the outbox row is the delivery, and `GET /v1/me/notifications` shows it.
 */
export interface Notifier {
  notify(tx: Executor, notices: GroupNotice[], at: Date): Promise<void>;
}

export const outboxNotifier: Notifier = {
  notify: (tx, notices, at) => insertNotifications(tx, notices, at),
};
