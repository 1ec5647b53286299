import type { CampaignLifecycle } from '@jizan/shared';
import { AppError } from '../../lib/errors.js';

/**
 * A campaign's lifecycle as operators see it: draft → scheduled → live → ended → settled.
 * Only "published or not" is stored (campaigns.published_at); scheduled, live and ended follow the
 * [startsAt, endsAt) window users already live by, and settled means the red-packet settlement ran.
 * So a move is a change of the stored facts: publishing, starting now, ending now, settling.
 */
export interface LifecycleFacts {
  publishedAt: Date | null;
  startsAt: Date;
  endsAt: Date;
  settled: boolean;
}

export function lifecycleOf(f: LifecycleFacts, now: Date): CampaignLifecycle {
  if (f.publishedAt === null) return 'draft';
  if (f.settled) return 'settled';
  if (now < f.startsAt) return 'scheduled';
  if (now < f.endsAt) return 'live';
  return 'ended';
}

export const NEXT_STATE: Readonly<Record<CampaignLifecycle, CampaignLifecycle | null>> = {
  draft: 'scheduled',
  scheduled: 'live',
  live: 'ended',
  ended: 'settled',
  settled: null,
};

export type LifecycleMove =
  | { kind: 'publish'; publishedAt: Date }
  | { kind: 'start'; startsAt: Date }
  | { kind: 'end'; endsAt: Date }
  | { kind: 'settle' };

function refuse(from: CampaignLifecycle, to: CampaignLifecycle, why: string): AppError {
  return new AppError('CAMPAIGN_TRANSITION_INVALID', `A ${from} campaign cannot move to ${to}: ${why}`, { from, to });
}

/** What must change for `to`; refuses anything but the one next step (and a publish whose start has passed). */
export function planTransition(f: LifecycleFacts, to: CampaignLifecycle, now: Date): LifecycleMove {
  const from = lifecycleOf(f, now);
  if (NEXT_STATE[from] !== to) {
    const next = NEXT_STATE[from];
    throw refuse(from, to, next ? `its only next state is ${next}` : 'it is final');
  }
  switch (to) {
    case 'scheduled':
      // Publishing a draft whose window already opened would make it live (or over) at once, skipping "scheduled".
      if (f.startsAt <= now) throw refuse(from, to, 'its start has passed; move startsAt into the future first');
      return { kind: 'publish', publishedAt: now };
    case 'live':
      return { kind: 'start', startsAt: now };
    case 'ended':
      return { kind: 'end', endsAt: now };
    case 'settled':
      return { kind: 'settle' };
    default:
      throw refuse(from, to, 'no campaign moves back to draft');
  }
}
