import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';
import { groupReminders, messageWatermarks } from '../../db/schema/index.js';

// The producers that find their events by reading other modules' tables (reads may join across
// tables): groups close to their end, likes in a finished window, a campaign that follows another.

// ---- Group reminders ----

export interface ReminderCandidate {
  id: string;
  campaignId: string;
  groupSize: number;
  seatsTaken: number;
  openedAt: Date;
  expiresAt: Date;
  product: string;
}

/**
 * Open groups ending within `leadMs` that have not been reminded, soonest first (through
 * group_buys_due_idx): the reminder rule then says which of them are due now.
 */
export async function reminderCandidates(ex: Executor, now: Date, leadMs: number, limit: number): Promise<ReminderCandidate[]> {
  const found = await rows<Record<string, unknown>>(
    ex,
    sql`select g.id, g.campaign_id, g.group_size, g.seats_taken, g.opened_at, g.expires_at, p.title
        from group_buys g join products p on p.id = g.product_id
        where g.status = 'open'
          and g.expires_at > ${now} and g.expires_at <= ${new Date(now.getTime() + leadMs)}
          and not exists (select 1 from group_reminders r where r.group_id = g.id)
        order by g.expires_at limit ${limit}`,
  );
  return found.map((r) => ({
    id: String(r.id),
    campaignId: String(r.campaign_id),
    groupSize: Number(r.group_size),
    seatsTaken: Number(r.seats_taken),
    openedAt: new Date(String(r.opened_at ?? r.expires_at)),
    expiresAt: new Date(String(r.expires_at)),
    product: String(r.title),
  }));
}

/** Takes the group's one reminder; false when another run (or instance) already took it. */
export async function claimReminder(ex: Executor, groupId: string, at: Date): Promise<boolean> {
  const claimed = await ex.insert(groupReminders).values({ groupId, remindedAt: at }).onConflictDoNothing().returning({ id: groupReminders.groupId });
  return claimed.length === 1;
}

/** The group as the reminder tells it: seats left now (read under the reminder's claim) and the paying members. */
export async function reminderFacts(ex: Executor, groupId: string): Promise<{ missing: number; status: string; userIds: string[] }> {
  const [g] = await rows<{ group_size: number; seats_taken: number; status: string }>(
    ex,
    sql`select group_size, seats_taken, status from group_buys where id = ${groupId}`,
  );
  const members = await rows<{ user_id: string }>(ex, sql`select distinct user_id from orders where group_id = ${groupId} and status = 'paid'`);
  return { missing: g ? Number(g.group_size) - Number(g.seats_taken) : 0, status: g?.status ?? 'gone', userIds: members.map((m) => m.user_id) };
}

// ---- Watermarks ----

/**
 * The producer's watermark, locked for this run (SKIP LOCKED: a second instance skips the run
 * instead of waiting); created at `start` on first use. Null while another run holds it.
 */
export async function lockWatermark(ex: Executor, producer: string, start: Date): Promise<Date | null> {
  await ex.insert(messageWatermarks).values({ producer, upto: start }).onConflictDoNothing();
  const [row] = await rows<{ upto: string | Date }>(ex, sql`select upto from message_watermarks where producer = ${producer} for update skip locked`);
  return row ? new Date(row.upto) : null;
}

export async function moveWatermark(ex: Executor, producer: string, upto: Date): Promise<void> {
  await ex.execute(sql`update message_watermarks set upto = ${upto} where producer = ${producer}`);
}

/** Marks a once-only producer's event done; false when it already was (the row is its once-key). */
export async function markOnce(ex: Executor, producer: string, at: Date): Promise<boolean> {
  const rowsIn = await ex.insert(messageWatermarks).values({ producer, upto: at }).onConflictDoNothing().returning({ p: messageWatermarks.producer });
  return rowsIn.length === 1;
}

// ---- Like batches ----

export interface LikeBatch {
  campaignId: string;
  campaign: string;
  sharerId: string;
  likes: number;
  /** The nickname of the friend who liked last in the window. */
  friend: string;
}

/** Likes created in [from, to), one row per sharer and campaign (likes_created_brin finds the range). */
export async function likeBatches(ex: Executor, from: Date, to: Date): Promise<LikeBatch[]> {
  const found = await rows<Record<string, unknown>>(
    ex,
    sql`select b.campaign_id, c.name, b.sharer_id, b.likes, u.nickname
        from (select campaign_id, sharer_id, count(*)::int as likes,
                     (array_agg(liker_id order by created_at desc, id desc))[1] as last_liker
              from likes where created_at >= ${from} and created_at < ${to}
              group by campaign_id, sharer_id) b
        join campaigns c on c.id = b.campaign_id
        left join users u on u.id = b.last_liker`,
  );
  return found.map((r) => ({
    campaignId: String(r.campaign_id),
    campaign: String(r.name),
    sharerId: String(r.sharer_id),
    likes: Number(r.likes),
    friend: String(r.nickname ?? '好友'),
  }));
}

// ---- Campaign again ----

export interface FollowOn {
  id: string;
  name: string;
  startsAt: Date;
  endsAt: Date;
  /** The campaign it follows: the latest one that ended before this one started. */
  previousId: string;
}

/** Published campaigns not yet over that follow an earlier one and have not been announced. */
export async function unannouncedFollowOns(ex: Executor, now: Date): Promise<FollowOn[]> {
  const found = await rows<Record<string, unknown>>(
    ex,
    sql`select c.id, c.name, c.starts_at, c.ends_at,
               (select p.id from campaigns p
                 where p.id <> c.id and p.published_at is not null and p.ends_at <= c.starts_at
                 order by p.ends_at desc limit 1) as previous_id
        from campaigns c
        where c.published_at is not null and c.ends_at > ${now}
          and not exists (select 1 from message_watermarks w where w.producer = 'campaign_again:' || c.id::text)`,
  );
  return found
    .filter((r) => r.previous_id)
    .map((r) => ({
      id: String(r.id),
      name: String(r.name),
      startsAt: new Date(String(r.starts_at)),
      endsAt: new Date(String(r.ends_at)),
      previousId: String(r.previous_id),
    }));
}

/**
 * One message to every participant of the previous campaign, in one INSERT … SELECT (a campaign
 * may have had a million), once per user by the (user, kind, dedupe key) index.
 */
export async function insertFollowOnMessages(
  ex: Executor,
  m: { previousId: string; dedupeKey: string; title: string; payload: Record<string, unknown>; at: Date },
): Promise<number> {
  const [inserted] = await rows<{ n: number }>(
    ex,
    sql`with ins as (insert into notifications (user_id, kind, dedupe_key, title, payload, template_key, delivery, next_delivery_at, created_at)
        select p.user_id, 'campaign_again', ${m.dedupeKey}, ${m.title}, ${JSON.stringify(m.payload)}::jsonb, 'campaign_again', 'pending', ${m.at}, ${m.at}
        from participants p where p.campaign_id = ${m.previousId}
        on conflict do nothing
        returning 1)
        select count(*)::int as n from ins`,
  );
  return Number(inserted?.n ?? 0);
}
