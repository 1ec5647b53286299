import type { MySubscriptionsResponse, SubscribeMoment } from '@jizan/shared';
import { requestSubscribe, type SubscribeSheetResult } from '../platform';
import { api } from '../services/client';

/**
 * The most ids one requestSubscribeMessage call may carry (the platform's limit; shared's
 * SUBSCRIBE_IDS_PER_ASK, repeated because the shared root would pull its schema library into the package).
 */
const IDS_PER_ASK = 3;

let known: MySubscriptionsResponse | null = null;
let reading: Promise<void> | null = null;

/** Reads the moments' template ids (configuration: once per launch is enough); a failed read is tried again later. */
export function prefetchSubscriptions(): Promise<void> {
  if (known) return Promise.resolve();
  // Started inside a promise so even a synchronous throw stays a silent failed read.
  reading ??= Promise.resolve()
    .then(() => api.mySubscriptions())
    .then((s) => {
      known = s;
    })
    .catch(() => undefined)
    .finally(() => {
      reading = null;
    });
  return reading;
}

/** The ids one ask may carry. */
export function idsToAsk(subs: MySubscriptionsResponse | null, moment: SubscribeMoment): string[] {
  return (subs?.moments[moment] ?? []).filter(Boolean).slice(0, IDS_PER_ASK);
}

/** True when the sheet answered for at least one template asked for (a closed sheet answers none). */
export function worthRecording(result: SubscribeSheetResult, ids: string[]): boolean {
  return ids.some((id) => typeof result[id] === 'string');
}

/**
 * Asks for the subscribe messages of the moment the user is acting in (opening or joining a group,
 * claiming a reward, liking) and records the answer as send credits.
 *
 * Call it from the tap's handler, beside the action and not after an await: the chat app shows
 * the sheet only while a tap is being handled. So the ids come from an earlier read
 * (`prefetchSubscriptions`, on the page's open); when they are not known yet this ask is skipped
 * rather than delaying anything. Nothing waits on it and every failure is silent: the action has
 * gone through either way, and the messages also land in the in-app inbox.
 */
export function askSubscribe(moment: SubscribeMoment): void {
  const ids = idsToAsk(known, moment);
  if (ids.length === 0) {
    void prefetchSubscriptions();
    return;
  }
  requestSubscribe(ids)
    .then((result) => (worthRecording(result, ids) ? api.recordSubscriptions(result) : null))
    .catch(() => undefined);
}

/** For tests: forget the ids read. */
export function resetSubscriptions(): void {
  known = null;
  reading = null;
}
