import type { Job } from '../../jobs/runner.js';
import { announceFollowOns, batchLikes, remindDueGroups, type ProducerDeps } from './producers.service.js';
import { sendDue, type SenderDeps } from './sender.service.js';

export interface NotificationJobDeps {
  notifications: { sender: SenderDeps; producers: ProducerDeps };
}

/** The messages' background work: the producers that find their events by time, then the sender. */
export const notificationJobs: readonly Job<NotificationJobDeps>[] = [
  { name: 'group-reminders', run: (deps, signal) => remindDueGroups(deps.notifications.producers, { signal }) },
  { name: 'like-batches', run: (deps) => batchLikes(deps.notifications.producers) },
  { name: 'campaign-again', run: (deps) => announceFollowOns(deps.notifications.producers) },
  { name: 'subscribe-sender', run: (deps, signal) => sendDue(deps.notifications.sender, { signal }) },
];
