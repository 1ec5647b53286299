/**
 * Bulk world for the admin benchmark, generated inside PostgreSQL with generate_series (no like
 * rules run): users, teams of five, an invite tree, one card each, opens, likes with one ledger
 * row each, group buys with orders and payments, tier red packets, logins (some accounts sharing a
 * device). Balances are then set from the
 * ledger in one statement each, so every balance equals its ledger sum (the benchmark checks it).
 */
import type pg from 'pg';

export interface BenchSize {
  users: number;
  teams: number;
  likes: number;
}

export async function seedAdminWorld(client: pg.Client, size: BenchSize, campaignId: string, startsAt: Date): Promise<void> {
  const q = (text: string, values: unknown[] = []) => client.query(text, values);
  const { users, teams, likes } = size;
  const start = startsAt.toISOString();
  // Bulk rows are generated consistent by construction: skip per-row foreign-key triggers (superuser only).
  await q(`set session_replication_role = replica`);
  // Users numbered 1..N so every other table can name them by number; joined out at the end.
  await q(`create temp table bench_users as
           select n, gen_random_uuid() as id from generate_series(1, $1::int) n`, [users]);
  await q(`create unique index on bench_users (n)`);
  await q(`insert into users (id, openid, nickname, created_at)
           select id, 'bench-' || n, 'user ' || n, $1::timestamptz from bench_users`, [start]);
  // Participants join over the first 20 days, a few each minute.
  await q(`insert into participants (campaign_id, user_id, energy, created_at)
           select $1, id, 0, $2::timestamptz + (n % 28800) * interval '1 minute' from bench_users`, [campaignId, start]);

  // Team t: captain is user 5(t-1)+1, members the next four.
  await q(`create temp table bench_teams as
           select t, gen_random_uuid() as id from generate_series(1, $1::int) t`, [teams]);
  await q(`insert into teams (id, campaign_id, captain_id, name, energy, member_count, created_at)
           select bt.id, $1, bu.id, 'team ' || bt.t, 0, 5, $2::timestamptz
           from bench_teams bt join bench_users bu on bu.n = 5 * (bt.t - 1) + 1`, [campaignId, start]);
  await q(`insert into team_members (team_id, campaign_id, user_id, role, joined_at)
           select bt.id, $1, bu.id, case when bu.n % 5 = 1 then 'captain' else 'member' end,
                  $2::timestamptz + (bu.n % 7200) * interval '1 minute'
           from bench_users bu join bench_teams bt on bt.t = (bu.n - 1) / 5 + 1
           where bu.n <= $3::int * 5`, [campaignId, start, teams]);

  // One card per user (the team's card for team members), opened once per like plus some browsing.
  await q(`create temp table bench_shares as
           select bu.n, gen_random_uuid() as id, bt.id as team_id
           from bench_users bu left join bench_teams bt on bt.t = (bu.n - 1) / 5 + 1 and bu.n <= $1::int * 5`, [teams]);
  await q(`create unique index on bench_shares (n)`);
  await q(`insert into shares (id, token, campaign_id, sharer_id, team_id, kind, created_at)
           select bs.id, 'bench-' || bs.n, $1, bu.id, bs.team_id, case when bs.team_id is null then 'like' else 'team' end,
                  $2::timestamptz + (bs.n % 14400) * interval '1 minute'
           from bench_shares bs join bench_users bu on bu.n = bs.n`, [campaignId, start]);

  // The invite tree: user n (n > 1) was brought by a user with a smaller number.
  await q(`insert into invitations (campaign_id, invitee_id, inviter_id, share_id, created_at)
           select $1, invitee.id, inviter.id, bs.id, $2::timestamptz + (g.n % 28800) * interval '1 minute'
           from generate_series(2, $3::int) g(n)
           join bench_users invitee on invitee.n = g.n
           join bench_users inviter on inviter.n = 1 + (g.n * 7919) % (g.n - 1)
           join bench_shares bs on bs.n = inviter.n`, [campaignId, start, users]);

  // Like g: liker 1 + g mod N, sharer k*997+1 places further on (k = g div N), so (liker, sharer)
  // pairs never repeat and nobody likes themselves; days spread over the campaign's 30 days.
  await q(`create temp table bench_likes as
           select g, 1 + g % $1::int as liker_n,
                  1 + (g % $1::int + 1 + (g / $1::int) * 997) % $1::int as sharer_n,
                  $2::timestamptz + ((g * 13) % 30) * interval '1 day' + (g % 86400) * interval '1 second' as at
           from generate_series(0, $3::int - 1) g`, [users, start, likes]);
  await q(`insert into share_opens (share_id, viewer_id, opened_at)
           select bs.id, liker.id, bl.at - interval '1 minute'
           from bench_likes bl join bench_shares bs on bs.n = bl.sharer_n join bench_users liker on liker.n = bl.liker_n`);
  await q(`insert into share_opens (share_id, viewer_id, opened_at)
           select bs.id, null, $1::timestamptz + (bs.n % 28800) * interval '1 minute' from bench_shares bs`, [start]);
  await q(`insert into likes (campaign_id, share_id, sharer_id, liker_id, team_id, day, energy, created_at)
           select $1, bs.id, sharer.id, liker.id, bs.team_id, (bl.at at time zone 'Asia/Shanghai')::date, 10, bl.at
           from bench_likes bl
           join bench_shares bs on bs.n = bl.sharer_n
           join bench_users sharer on sharer.n = bl.sharer_n
           join bench_users liker on liker.n = bl.liker_n
           order by bl.g`, [campaignId]);
  await q(`insert into energy_ledger (campaign_id, user_id, team_id, amount, reason, like_id, created_at)
           select campaign_id, sharer_id, team_id, energy, 'like', id, created_at from likes where campaign_id = $1`, [campaignId]);
  await q(`update users u set first_liked_at = f.at
           from (select liker_id, min(created_at) as at from likes where campaign_id = $1 group by 1) f
           where f.liker_id = u.id`, [campaignId]);

  // Group buys: 5 products; every 20th user opens a group of 3 joined by the next two users.
  const products = await q(
    `insert into products (campaign_id, title, price, group_price, group_size, stock)
     select $1, 'product ' || p, 1990, 990, 3, 1000000 from generate_series(1, 5) p returning id`,
    [campaignId],
  );
  const productIds = products.rows.map((r: { id: string }) => r.id);
  await q(`create temp table bench_groups as
           select o as opener_n, gen_random_uuid() as id, ($1::uuid[])[1 + (o / 20) % 5] as product_id,
                  case when o % 60 = 0 then 'failed' when o % 40 = 0 then 'open' else 'succeeded' end as status,
                  $2::timestamptz + (o % 28800) * interval '1 minute' as at
           from generate_series(20, $3::int - 2, 20) o`, [productIds, start, users]);
  await q(`insert into group_buys (id, product_id, campaign_id, opener_id, group_size, status, seats_taken, expires_at, opened_at, closed_at, created_at)
           select bg.id, bg.product_id, $1, bu.id, 3, bg.status, case when bg.status = 'succeeded' then 3 else 1 end,
                  bg.at + interval '1 day', bg.at,
                  case when bg.status in ('succeeded', 'failed') then bg.at + interval '1 hour' end, bg.at
           from bench_groups bg join bench_users bu on bu.n = bg.opener_n`, [campaignId]);
  // Seats: the opener always; the two next users in succeeded groups, the second of them virtual on every 7th.
  await q(`create temp table bench_seats as
           select bg.id as group_id, bg.product_id, bg.status, bg.at + s * interval '5 minutes' as at,
                  bu.id as user_id, (bg.status = 'succeeded' and s = 2 and bg.opener_n % 140 = 0) as virtual,
                  gen_random_uuid() as order_id
           from bench_groups bg cross join generate_series(0, 2) s
           join bench_users bu on bu.n = bg.opener_n + s
           where s = 0 or bg.status = 'succeeded'`);
  await q(`insert into orders (id, user_id, product_id, group_id, campaign_id, amount, status, pay_deadline, paid_amount, refunded_amount, created_at, updated_at)
           select order_id, user_id, product_id, group_id, $1, 990,
                  case status when 'succeeded' then 'grouped' when 'failed' then 'refunded' else 'paid' end,
                  at + interval '15 minutes', 990, case when status = 'failed' then 990 else 0 end, at, at
           from bench_seats where not virtual`, [campaignId]);
  await q(`insert into group_buy_members (group_id, user_id, order_id, virtual, joined_at)
           select group_id, case when virtual then null else user_id end, case when virtual then null else order_id end, virtual, at
           from bench_seats`);
  await q(`insert into payments (order_id, amount, provider, transaction_id, paid_at)
           select order_id, 990, 'bench', order_id::text, at + interval '1 minute' from bench_seats where not virtual`);
  await q(`insert into refund_requests (order_id, payment_id, amount, reason, status, attempts, next_attempt_at)
           select p.order_id, p.id, 990, 'group_failed', 'succeeded', 1, now()
           from payments p join bench_seats s on s.order_id = p.order_id where s.status = 'failed'`);
  await q(`insert into refunds (refund_request_id, order_id, amount, provider_refund_id)
           select id, order_id, amount, 'bench-' || id from refund_requests r
           where exists (select 1 from bench_seats s where s.order_id = r.order_id)`);

  // Balances from the ledger, each in one statement.
  await q(`update participants p set energy = l.total
           from (select user_id, sum(amount) as total from energy_ledger where campaign_id = $1 group by 1) l
           where p.campaign_id = $1 and p.user_id = l.user_id`, [campaignId]);
  await q(`update teams t set energy = l.total
           from (select team_id, sum(amount) as total from energy_ledger where campaign_id = $1 and team_id is not null group by 1) l
           where t.id = l.team_id`, [campaignId]);

  // Tier red packets: everyone at 100 energy or more claimed the 100-energy rung (188 fen).
  await q(`insert into red_packet_budgets (campaign_id, budget, remaining) values ($1, 100000000, 100000000)`, [campaignId]);
  await q(`insert into red_packets (campaign_id, user_id, kind, tier, energy, amount)
           select campaign_id, user_id, 'tier', 1, 100, 188 from participants where campaign_id = $1 and energy >= 100`, [campaignId]);
  await q(`update red_packet_budgets b set remaining = b.budget - s.paid
           from (select coalesce(sum(amount), 0) as paid from red_packets where campaign_id = $1) s
           where b.campaign_id = $1`, [campaignId]);
  // Logins for the fraud scan: one per user, 20 users per address (not above the shared-IP limit),
  // a device each except five accounts on one device in every thousand users (500 flags at 100k).
  await q(`insert into login_events (user_id, ip, device_id, created_at)
           select id, '10.' || (n % 5000) / 250 || '.' || (n % 5000) % 250 || '.1',
                  case when n % 1000 < 5 then 'shared-' || n / 1000 else 'device-' || n end,
                  $1::timestamptz + (n % 28800) * interval '1 minute'
           from bench_users`, [start]);
  await q(`set session_replication_role = origin`);
  for (const t of ['bench_users', 'bench_teams', 'bench_shares', 'bench_likes', 'bench_groups', 'bench_seats']) await q(`drop table ${t}`);
}
