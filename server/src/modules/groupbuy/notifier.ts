import type { Executor } from '../../db/client.js';
import { writeMessages, type MessageEvent } from '../notifications/notifications.service.js';

/** A member's message about how their group ended (the notifications module's event shape). */
export type GroupNotice = MessageEvent & { kind: 'group_succeeded' | 'group_failed'; groupId: string };

/**
 * The notifier port: tells each member how their group buy ended. It is called inside the
 * transaction that closes the group, so a message exists if and only if the outcome committed.
 * The message lands in the member's inbox and the subscribe-message sender's queue
 * (notifications module); the platform is called later by the sender job, never from here.
 */
export interface Notifier {
  notify(tx: Executor, notices: GroupNotice[], at: Date): Promise<void>;
}

export const outboxNotifier: Notifier = {
  notify: async (tx, notices, at) => {
    await writeMessages(notices, at, tx);
  },
};
