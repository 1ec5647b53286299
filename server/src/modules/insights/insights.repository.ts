import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';
import type { ShareChannel } from '@jizan/shared';
import { num } from '../../lib/num.js';
import { CHANNELS, noOneYet, type ChannelCounts } from './insights-rules.js';

/**
 * The admin insights' SQL. Reads of the big tables (likes, opens) go through the rollups that
 * `refreshRollups` keeps; reads here touch only per-campaign rows of tables of at most one row per
 * participant, team or invitation, which keeps every query well under a second at a million likes.
 */

/**
 * Takes the campaign's rollup lock (the watermark row) and says up to when it is complete; two
 * refreshes of one campaign at once run one after the other.
 */
export async function lockWatermark(ex: Executor, campaignId: string): Promise<Date | null> {
  await ex.execute(sql`insert into insights_watermarks (campaign_id, upto) values (${campaignId}, '-infinity')
                       on conflict (campaign_id) do nothing`);
  const [row] = await rows<{ upto: Date | string }>(
    ex,
    sql`select upto from insights_watermarks where campaign_id = ${campaignId} for update`,
  );
  const upto = row ? new Date(row.upto) : null;
  return upto && Number.isFinite(upto.getTime()) ? upto : null;
}

export async function setWatermark(ex: Executor, campaignId: string, upto: Date): Promise<void> {
  await ex.execute(sql`update insights_watermarks set upto = ${upto.toISOString()}, refreshed_at = now() where campaign_id = ${campaignId}`);
}

export async function watermarkOf(ex: Executor, campaignId: string): Promise<Date | null> {
  const [row] = await rows<{ upto: Date | string }>(ex, sql`select upto from insights_watermarks where campaign_id = ${campaignId}`);
  const upto = row ? new Date(row.upto) : null;
  return upto && Number.isFinite(upto.getTime()) ? upto : null;
}

/**
 * Folds every event at or after `since` into the per-user rollup. Folding is by `least` and set
 * union, so events seen twice (the rescanned margin) change nothing. Opens and payments are funnel
 * steps, not retention actions, so they never add an active day. The first open's channel goes
 * with the earliest open; opens at one instant pick the channel first by name, both within a run
 * and across runs (`least`), so folding the same opens in pieces or at once agrees.
 */
export async function foldUsers(ex: Executor, c: { campaignId: string; timeZone: string }, since: Date | null): Promise<void> {
  const from = since ? since.toISOString() : '-infinity';
  await ex.execute(sql`
    with events (user_id, at, kind, channel) as (
      select o.viewer_id, o.opened_at, 'open', o.channel from share_opens o join shares s on s.id = o.share_id
       where s.campaign_id = ${c.campaignId} and o.viewer_id is not null and o.opened_at >= ${from}::timestamptz
      union all select liker_id, created_at, 'like', null from likes where campaign_id = ${c.campaignId} and created_at >= ${from}::timestamptz
      union all select sharer_id, created_at, 'received', null from likes where campaign_id = ${c.campaignId} and created_at >= ${from}::timestamptz
      union all select sharer_id, created_at, 'share', null from shares where campaign_id = ${c.campaignId} and created_at >= ${from}::timestamptz
      union all select user_id, joined_at, case role when 'member' then 'join' else 'found' end, null from team_members
       where campaign_id = ${c.campaignId} and joined_at >= ${from}::timestamptz
      union all select user_id, created_at, 'order', null from orders where campaign_id = ${c.campaignId} and created_at >= ${from}::timestamptz
      union all select o.user_id, p.paid_at, 'paid', null from payments p join orders o on o.id = p.order_id
       where o.campaign_id = ${c.campaignId} and p.paid_at >= ${from}::timestamptz
    )
    insert into insights_users as iu (campaign_id, user_id, first_action_at, first_open_at, first_open_channel, first_like_at, first_join_at, first_order_at, first_paid_at, active_days)
    select ${c.campaignId}, user_id,
           min(at) filter (where kind not in ('open', 'paid')),
           min(at) filter (where kind = 'open'),
           (array_agg(channel order by at, channel) filter (where kind = 'open'))[1],
           min(at) filter (where kind = 'like'),
           min(at) filter (where kind = 'join'),
           min(at) filter (where kind = 'order'),
           min(at) filter (where kind = 'paid'),
           coalesce(array_agg(distinct (at at time zone ${c.timeZone})::date) filter (where kind not in ('open', 'paid')), '{}')
    from events group by user_id
    on conflict (campaign_id, user_id) do update set
      first_action_at = least(iu.first_action_at, excluded.first_action_at),
      first_open_at = least(iu.first_open_at, excluded.first_open_at),
      first_open_channel = case
        when excluded.first_open_at is null then iu.first_open_channel
        when iu.first_open_at is null or excluded.first_open_at < iu.first_open_at then excluded.first_open_channel
        when excluded.first_open_at = iu.first_open_at then least(iu.first_open_channel, excluded.first_open_channel)
        else iu.first_open_channel end,
      first_like_at = least(iu.first_like_at, excluded.first_like_at),
      first_join_at = least(iu.first_join_at, excluded.first_join_at),
      first_order_at = least(iu.first_order_at, excluded.first_order_at),
      first_paid_at = least(iu.first_paid_at, excluded.first_paid_at),
      active_days = array(select distinct d from unnest(iu.active_days || excluded.active_days) d order by d)`);
}

/**
 * Gives a channel to the users whose first open was rolled up before the rollup knew channels:
 * their opens lie behind the watermark, so the fold never reads them again. Reads the campaign's
 * opens only while such users are left, which after one run is never.
 */
export async function fillFirstOpenChannels(ex: Executor, campaignId: string): Promise<void> {
  const [left] = await rows<{ any: boolean }>(
    ex,
    sql`select exists (select 1 from insights_users where campaign_id = ${campaignId} and first_open_at is not null and first_open_channel is null) as any`,
  );
  if (!left?.any) return;
  await ex.execute(sql`
    update insights_users iu set first_open_channel = f.channel
    from (
      select distinct on (o.viewer_id) o.viewer_id, o.opened_at, o.channel
      from share_opens o join shares s on s.id = o.share_id
      where s.campaign_id = ${campaignId} and o.viewer_id in (
        select user_id from insights_users where campaign_id = ${campaignId} and first_open_at is not null and first_open_channel is null)
      order by o.viewer_id, o.opened_at, o.channel
    ) f
    where iu.campaign_id = ${campaignId} and iu.user_id = f.viewer_id and iu.first_open_channel is null and iu.first_open_at = f.opened_at`);
}

/**
 * Recounts every hour from `since`'s hour on, whole (an hour is never half counted twice). A new
 * participant is a user's first action (from the per-user rollup, so it runs after `foldUsers`).
 */
export async function recountHours(ex: Executor, campaignId: string, since: Date | null): Promise<void> {
  const from = since ? since.toISOString() : '-infinity';
  await ex.execute(sql`delete from insights_hourly where campaign_id = ${campaignId} and hour >= date_trunc('hour', ${from}::timestamptz)`);
  await ex.execute(sql`
    with events (hour, kind, channel) as (
      select date_trunc('hour', created_at), 'like', null from likes
       where campaign_id = ${campaignId} and created_at >= date_trunc('hour', ${from}::timestamptz)
      union all select date_trunc('hour', first_action_at), 'participant', null from insights_users
       where campaign_id = ${campaignId} and first_action_at >= date_trunc('hour', ${from}::timestamptz)
      union all select date_trunc('hour', created_at), 'share', null from shares
       where campaign_id = ${campaignId} and created_at >= date_trunc('hour', ${from}::timestamptz)
      union all select date_trunc('hour', o.opened_at), 'open', o.channel from share_opens o join shares s on s.id = o.share_id
       where s.campaign_id = ${campaignId} and o.opened_at >= date_trunc('hour', ${from}::timestamptz)
    )
    insert into insights_hourly (campaign_id, hour, likes, new_participants, shares, opens, poster_opens, moments_opens)
    select ${campaignId}, hour, count(*) filter (where kind = 'like'), count(*) filter (where kind = 'participant'),
           count(*) filter (where kind = 'share'), count(*) filter (where kind = 'open'),
           count(*) filter (where kind = 'open' and channel = 'poster'), count(*) filter (where kind = 'open' and channel = 'moments')
    from events group by hour`);
}

export async function overviewCounts(ex: Executor, campaignId: string) {
  const [row] = await rows<Record<string, unknown>>(
    ex,
    sql`select
      (select count(*) from participants where campaign_id = ${campaignId}) as participants,
      (select coalesce(sum(energy), 0) from participants where campaign_id = ${campaignId}) as energy,
      (select count(*) from teams where campaign_id = ${campaignId}) as teams,
      (select count(*) from shares where campaign_id = ${campaignId}) as shares,
      (select coalesce(sum(opens), 0) from insights_hourly where campaign_id = ${campaignId}) as opens,
      (select coalesce(sum(likes), 0) from insights_hourly where campaign_id = ${campaignId}) as likes,
      g.opened, g.open, g.succeeded, g.failed, g.virtual_groups, g.real_seats, g.virtual_seats
    from (select
            count(*) filter (where gb.opened_at is not null) as opened,
            count(*) filter (where gb.status = 'open') as open,
            count(*) filter (where gb.status = 'succeeded') as succeeded,
            count(*) filter (where gb.status = 'failed') as failed,
            count(*) filter (where gb.status = 'succeeded' and exists (
              select 1 from group_buy_members m where m.group_id = gb.id and m.virtual)) as virtual_groups,
            (select count(*) from group_buy_members m join group_buys g2 on g2.id = m.group_id
              where g2.campaign_id = ${campaignId} and not m.virtual and m.released_at is null) as real_seats,
            (select count(*) from group_buy_members m join group_buys g2 on g2.id = m.group_id
              where g2.campaign_id = ${campaignId} and m.virtual) as virtual_seats
          from group_buys gb where gb.campaign_id = ${campaignId}) g`,
  );
  const r = row ?? {};
  return {
    participants: num(r.participants),
    energy: num(r.energy),
    teams: num(r.teams),
    shares: num(r.shares),
    opens: num(r.opens),
    likes: num(r.likes),
    groupBuys: {
      opened: num(r.opened),
      open: num(r.open),
      succeeded: num(r.succeeded),
      succeededWithVirtualSeats: num(r.virtual_groups),
      failed: num(r.failed),
      realSeats: num(r.real_seats),
      virtualSeats: num(r.virtual_seats),
    },
  };
}

/**
 * Events in whole hours [from, to) and the funnel of users who first opened a card in them, split
 * by channel: opens by the hourly rollup's channel columns, users by their first open's channel.
 * A user whose first open has no channel yet (rolled up before channels) counts in the totals only.
 */
export async function funnelCounts(ex: Executor, campaignId: string, from: Date, to: Date) {
  const f = from.toISOString();
  const t = to.toISOString();
  const [[events], users] = await Promise.all([
    rows<Record<string, unknown>>(
      ex,
      sql`select coalesce(sum(shares), 0) as shares, coalesce(sum(opens), 0) as opens,
                 coalesce(sum(poster_opens), 0) as poster_opens, coalesce(sum(moments_opens), 0) as moments_opens
          from insights_hourly where campaign_id = ${campaignId} and hour >= ${f}::timestamptz and hour < ${t}::timestamptz`,
    ),
    rows<Record<string, unknown>>(
      ex,
      sql`select first_open_channel as channel,
            count(*) as openers,
            count(*) filter (where first_like_at < ${t}::timestamptz) as liked,
            count(*) filter (where first_join_at < ${t}::timestamptz) as joined_team,
            count(*) filter (where first_order_at < ${t}::timestamptz) as group_buy,
            count(*) filter (where first_paid_at < ${t}::timestamptz) as paid
          from insights_users
          where campaign_id = ${campaignId} and first_open_at >= ${f}::timestamptz and first_open_at < ${t}::timestamptz
          group by first_open_channel`,
    ),
  ]);
  const e = events ?? {};
  const opens = num(e.opens);
  const channelOpens: Record<ShareChannel, number> = {
    card: opens - num(e.poster_opens) - num(e.moments_opens),
    poster: num(e.poster_opens),
    moments: num(e.moments_opens),
  };
  const total = { openers: 0, liked: 0, joinedTeam: 0, groupBuy: 0, paid: 0 };
  const byChannel = Object.fromEntries(CHANNELS.map((c) => [c, noOneYet(channelOpens[c])])) as Record<ShareChannel, ChannelCounts>;
  for (const r of users) {
    const counts = { openers: num(r.openers), liked: num(r.liked), joinedTeam: num(r.joined_team), groupBuy: num(r.group_buy), paid: num(r.paid) };
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += counts[k];
    const channel = r.channel as ShareChannel | null;
    if (channel && channel in byChannel) Object.assign(byChannel[channel], counts);
  }
  return { shares: num(e.shares), opens, ...total, byChannel };
}

export interface InviteRow {
  userId: string;
  inviterId: string | null;
  depth: number;
  nickname: string;
}

/**
 * The invite tree below `rootId`, breadth first, to `maxDepth + 1` levels (the extra level only
 * tells that there is more) and at most `limit` rows: PostgreSQL stops the recursion at the limit.
 */
export async function inviteTree(ex: Executor, q: { campaignId: string; rootId: string; maxDepth: number; limit: number }): Promise<InviteRow[]> {
  const found = await rows<{ user_id: string; inviter_id: string | null; depth: number; nickname: string }>(
    ex,
    sql`with recursive tree (user_id, inviter_id, depth) as (
          select id, null::uuid, 0 from users where id = ${q.rootId}
          union all
          select i.invitee_id, i.inviter_id, t.depth + 1
          from tree t join invitations i on i.campaign_id = ${q.campaignId} and i.inviter_id = t.user_id
          where t.depth <= ${q.maxDepth}
        ),
        cut as (select * from tree limit ${q.limit})
        select cut.user_id, cut.inviter_id, cut.depth, u.nickname from cut join users u on u.id = cut.user_id`,
  );
  return found.map((r) => ({ userId: r.user_id, inviterId: r.inviter_id, depth: Number(r.depth), nickname: r.nickname }));
}

/** Inviters by people brought, most first; keyset (invited desc, user id) after `after`. */
export async function topInviters(ex: Executor, campaignId: string, after: [number, string] | null, limit: number) {
  const found = await rows<{ user_id: string; nickname: string; invited: number }>(
    ex,
    sql`select i.inviter_id as user_id, u.nickname, i.invited from (
          select inviter_id, count(*) as invited from invitations where campaign_id = ${campaignId} group by inviter_id
        ) i join users u on u.id = i.inviter_id
        ${after ? sql`where (i.invited < ${after[0]} or (i.invited = ${after[0]} and i.inviter_id > ${after[1]}::uuid))` : sql``}
        order by i.invited desc, i.inviter_id limit ${limit}`,
  );
  return found.map((r) => ({ userId: r.user_id, nickname: r.nickname, invited: Number(r.invited) }));
}

/**
 * Per campaign-local day: the users whose first action fell on it, and the people those users
 * brought (at any time since).
 */
export async function kFactorDays(ex: Executor, c: { campaignId: string; timeZone: string }, after: string | null, limit: number) {
  const found = await rows<{ day: string; new_participants: number; invited: number }>(
    ex,
    sql`select * from (
          select to_char((u.first_action_at at time zone ${c.timeZone})::date, 'YYYY-MM-DD') as day,
                 count(*) as new_participants, coalesce(sum(i.invited), 0) as invited
          from insights_users u
          left join (select inviter_id, count(*) as invited from invitations where campaign_id = ${c.campaignId} group by 1) i
            on i.inviter_id = u.user_id
          where u.campaign_id = ${c.campaignId} and u.first_action_at is not null
          group by 1
        ) d ${after ? sql`where d.day > ${after}` : sql``}
        order by d.day limit ${limit}`,
  );
  return found.map((r) => ({ day: r.day, newParticipants: Number(r.new_participants), invited: Number(r.invited) }));
}

/** Cohorts by first-action day, with how many were active again 1, 7 and 30 days later. */
export async function retentionCohorts(ex: Executor, c: { campaignId: string; timeZone: string }, after: string | null, limit: number) {
  const found = await rows<{ day: string; users: number; day1: number; day7: number; day30: number }>(
    ex,
    sql`select to_char(d0, 'YYYY-MM-DD') as day, count(*) as users,
               count(*) filter (where d0 + 1 = any(active_days)) as day1,
               count(*) filter (where d0 + 7 = any(active_days)) as day7,
               count(*) filter (where d0 + 30 = any(active_days)) as day30
        from (select (first_action_at at time zone ${c.timeZone})::date as d0, active_days
              from insights_users where campaign_id = ${c.campaignId} and first_action_at is not null) u
        ${after ? sql`where d0 > ${after}::date` : sql``}
        group by d0 order by d0 limit ${limit}`,
  );
  return found.map((r) => ({ day: r.day, users: Number(r.users), day1: Number(r.day1), day7: Number(r.day7), day30: Number(r.day30) }));
}

export async function hourly(ex: Executor, q: { campaignId: string; from: Date; to: Date; after: string | null; limit: number }) {
  const found = await rows<{ hour: Date | string; likes: number; new_participants: number; shares: number; opens: number; poster_opens: number; moments_opens: number }>(
    ex,
    sql`select hour, likes, new_participants, shares, opens, poster_opens, moments_opens from insights_hourly
        where campaign_id = ${q.campaignId} and hour >= ${q.from.toISOString()}::timestamptz and hour < ${q.to.toISOString()}::timestamptz
        ${q.after ? sql`and hour > ${q.after}::timestamptz` : sql``}
        order by hour limit ${q.limit}`,
  );
  return found.map((r) => ({
    hour: new Date(r.hour).toISOString(),
    likes: Number(r.likes),
    newParticipants: Number(r.new_participants),
    shares: Number(r.shares),
    opens: Number(r.opens),
    posterOpens: Number(r.poster_opens),
    momentsOpens: Number(r.moments_opens),
  }));
}

/** Campaigns whose rollups still move: live, or ended recently enough for day-30 retention. */
export async function campaignsToRoll(ex: Executor, now: Date, daysAfterEnd: number) {
  return rows<{ id: string; time_zone: string }>(
    ex,
    sql`select id, time_zone from campaigns
        where starts_at <= ${now.toISOString()}::timestamptz
          and ends_at > ${now.toISOString()}::timestamptz - make_interval(days => ${daysAfterEnd})`,
  );
}

/**
 * The campaign a user's invite tree is read in when the operator names none: the latest (by start)
 * in which the user took part or stands in the invite chain. Per campaign through the indexes that
 * lead with it, so it never scans every invitation.
 */
export async function latestCampaignOf(ex: Executor, userId: string): Promise<string | null> {
  const [row] = await rows<{ id: string }>(
    ex,
    sql`select c.id::text from campaigns c
        where exists (select 1 from participants p where p.campaign_id = c.id and p.user_id = ${userId})
           or exists (select 1 from invitations i where i.campaign_id = c.id and i.invitee_id = ${userId})
           or exists (select 1 from invitations i where i.campaign_id = c.id and i.inviter_id = ${userId})
        order by c.starts_at desc, c.id limit 1`,
  );
  return row?.id ?? null;
}
