import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { batchWindowEnd, chinaTime, messageText, minutesLeft, reminderDueAt } from './message-rules.js';
import { writeMessages } from './notifications.service.js';
import * as repo from './producers.repository.js';

export interface ProducerDeps {
  db: Db;
  clock: Clock;
  reminderLeadMinutes: number;
  likeBatchMinutes: number;
}

// ---- 还差 N 人 ----

/**
 * The reminder job's run: each open group whose reminder is due (reminderDueAt) is claimed once
 * (group_reminders) and its paying members are told how many seats are left and how long. A
 * group that filled meanwhile, or has every seat taken, is claimed without a message.
 */
export async function remindDueGroups(deps: ProducerDeps, opts: { signal?: AbortSignal } = {}): Promise<number> {
  const now = deps.clock.now();
  const leadMs = deps.reminderLeadMinutes * 60_000;
  const due = (await repo.reminderCandidates(deps.db, now, leadMs, 200)).filter((g) => reminderDueAt(g.openedAt, g.expiresAt, leadMs) <= now);
  let told = 0;
  for (const g of due) {
    if (opts.signal?.aborted) break;
    told += await deps.db.transaction(async (tx) => {
      if (!(await repo.claimReminder(tx, g.id, now))) return 0;
      const { missing, status, userIds } = await repo.reminderFacts(tx, g.id);
      if (status !== 'open' || missing <= 0) return 0;
      const facts = { groupId: g.id, product: g.product, missing, minutesLeft: minutesLeft(now, g.expiresAt), expiresAt: chinaTime(g.expiresAt) };
      return writeMessages(userIds.map((userId) => ({ userId, kind: 'group_reminder' as const, groupId: g.id, facts })), now, tx);
    });
  }
  return told;
}

// ---- Friend liked you ----

/** Likes this recent may still be committing (a like's created_at is its transaction's start). */
const LIKE_GRACE_MS = 10_000;

/**
 * The like batcher's run: every finished window's likes become one message per sharer and
 * campaign ("X 等 N 位好友为你点赞"), never one per like. The watermark says which windows are
 * done; it moves in the transaction that writes their messages, and one instance at a time holds it.
 */
export async function batchLikes(deps: ProducerDeps): Promise<number> {
  const windowMs = deps.likeBatchMinutes * 60_000;
  const to = batchWindowEnd(new Date(deps.clock.now().getTime() - LIKE_GRACE_MS), windowMs);
  return deps.db.transaction(async (tx) => {
    const from = await repo.lockWatermark(tx, 'friend_liked', new Date(to.getTime() - windowMs));
    if (!from || from >= to) return 0;
    const batches = await repo.likeBatches(tx, from, to);
    const at = deps.clock.now();
    const written = await writeMessages(
      batches.map((b) => ({
        userId: b.sharerId,
        kind: 'friend_liked' as const,
        dedupeKey: `likes:${b.campaignId}:${to.toISOString()}`,
        facts: { campaignId: b.campaignId, campaign: b.campaign, likes: b.likes, friend: b.friend, at: chinaTime(to) },
      })),
      at,
      tx,
    );
    await repo.moveWatermark(tx, 'friend_liked', to);
    return written;
  });
}

// ---- The campaign starts again ----

/**
 * A campaign published after another ended is announced once to the earlier one's participants.
 * There is no "follow-on" link between campaigns, so "follows" means: the latest published one
 * that ended before this one starts.
 */
export async function announceFollowOns(deps: Pick<ProducerDeps, 'db' | 'clock'>): Promise<number> {
  const now = deps.clock.now();
  let told = 0;
  for (const c of await repo.unannouncedFollowOns(deps.db, now)) {
    told += await deps.db.transaction(async (tx) => {
      if (!(await repo.markOnce(tx, `campaign_again:${c.id}`, now))) return 0;
      const facts = { campaignId: c.id, campaign: c.name, startsAt: chinaTime(c.startsAt), endsAt: chinaTime(c.endsAt) };
      const { title, body } = messageText('campaign_again', facts);
      return repo.insertFollowOnMessages(tx, { previousId: c.previousId, dedupeKey: `campaign:${c.id}`, title, payload: { facts, body }, at: now });
    });
  }
  return told;
}
