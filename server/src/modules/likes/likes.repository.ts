import { and, countDistinct, desc, eq, max, sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';
import { dailyLikeCounts, likes, users } from '../../db/schema/index.js';

type Direction = 'given' | 'received';

/**
 * Counts one more like for (user, day, direction) unless the count already reached `cap`.
 * Returns false at the cap. The row lock serialises one user's likes, which is what makes the
 * cap exact when a liker fires many at once.
 */
export async function countLikeWithinCap(
  ex: Executor,
  k: { campaignId: string; userId: string; day: string; direction: Direction; cap: number },
): Promise<boolean> {
  const out = await ex
    .insert(dailyLikeCounts)
    .values({ campaignId: k.campaignId, userId: k.userId, day: k.day, direction: k.direction, count: 1 })
    .onConflictDoUpdate({
      target: [dailyLikeCounts.campaignId, dailyLikeCounts.userId, dailyLikeCounts.day, dailyLikeCounts.direction],
      set: { count: sql`${dailyLikeCounts.count} + 1` },
      setWhere: sql`${dailyLikeCounts.count} < ${k.cap}`,
    })
    .returning({ count: dailyLikeCounts.count });
  return out.length === 1;
}

export async function countOn(
  ex: Executor,
  k: { campaignId: string; userId: string; day: string; direction: Direction },
): Promise<number> {
  const [row] = await ex
    .select({ count: dailyLikeCounts.count })
    .from(dailyLikeCounts)
    .where(
      and(
        eq(dailyLikeCounts.campaignId, k.campaignId),
        eq(dailyLikeCounts.userId, k.userId),
        eq(dailyLikeCounts.day, k.day),
        eq(dailyLikeCounts.direction, k.direction),
      ),
    );
  return row?.count ?? 0;
}

export async function hasLiked(ex: Executor, k: { campaignId: string; likerId: string; sharerId: string; day: string }): Promise<boolean> {
  const [row] = await ex
    .select({ id: likes.id })
    .from(likes)
    .where(and(eq(likes.campaignId, k.campaignId), eq(likes.likerId, k.likerId), eq(likes.sharerId, k.sharerId), eq(likes.day, k.day)));
  return row !== undefined;
}

export interface CreditedLike {
  likeId: number;
  sharerEnergy: number;
  teamEnergy: number | null;
}

/**
 * The like, its ledger row and both balances in one statement: nothing is credited unless the
 * like row was new (once per liker, sharer and day), and the balances move by exactly the
 * ledger row's amount. Returns null when the like already existed.
 * The one place a repository writes other modules' tables (ledger, participants, teams): a single
 * statement is what keeps the balances exact and the like path short under a stampede.
 */
export async function recordLike(
  ex: Executor,
  v: {
    campaignId: string;
    shareId: string;
    sharerId: string;
    likerId: string;
    day: string;
    energy: number;
    reason: 'like' | 'new_liker_like';
    at: Date;
  },
): Promise<CreditedLike | null> {
  const [row] = await rows<{ like_id: number | null; sharer_energy: number | null; team_energy: number | null }>(
    ex,
    sql`
      with tm as (
        select team_id from team_members where campaign_id = ${v.campaignId} and user_id = ${v.sharerId}
      ), l as (
        insert into likes (campaign_id, share_id, sharer_id, liker_id, team_id, day, energy, created_at)
        values (${v.campaignId}, ${v.shareId}, ${v.sharerId}, ${v.likerId}, (select team_id from tm), ${v.day}, ${v.energy}, ${v.at})
        on conflict do nothing
        returning id, energy, team_id
      ), le as (
        insert into energy_ledger (campaign_id, user_id, team_id, amount, reason, like_id, created_at)
        select ${v.campaignId}, ${v.sharerId}, l.team_id, l.energy, ${v.reason}, l.id, ${v.at} from l
        returning amount, team_id
      ), p as (
        insert into participants (campaign_id, user_id, energy)
        select ${v.campaignId}, ${v.sharerId}, le.amount from le
        on conflict (campaign_id, user_id) do update set energy = participants.energy + excluded.energy
        returning energy
      ), t as (
        update teams set energy = teams.energy + le.amount
        from le where teams.id = le.team_id
        returning teams.energy
      )
      select (select id from l) as like_id,
             (select energy from p) as sharer_energy,
             (select energy from t) as team_energy`,
  );
  if (!row || row.like_id === null) return null;
  return {
    likeId: Number(row.like_id),
    sharerEnergy: Number(row.sharer_energy),
    teamEnergy: row.team_energy === null ? null : Number(row.team_energy),
  };
}

/**
 * The liker's and the sharer's team in the campaign (null: none), read in one query for the
 * teammate rule; a read join over the teams module's membership table.
 */
export async function teamsOf(
  ex: Executor,
  k: { campaignId: string; likerId: string; sharerId: string },
): Promise<{ likerTeamId: string | null; sharerTeamId: string | null }> {
  const [row] = await rows<{ liker_team: string | null; sharer_team: string | null }>(
    ex,
    sql`select (select team_id from team_members where campaign_id = ${k.campaignId} and user_id = ${k.likerId}) as liker_team,
               (select team_id from team_members where campaign_id = ${k.campaignId} and user_id = ${k.sharerId}) as sharer_team`,
  );
  return { likerTeamId: row?.liker_team ?? null, sharerTeamId: row?.sharer_team ?? null };
}

export interface FriendRow {
  id: string;
  nickname: string;
  avatarUrl: string | null;
}

/**
 * Friends on one side of a user's likes in a campaign: `helpers` liked the user, `helped` were
 * liked by the user. Each friend counts once however many days they liked; the latest come first.
 */
export async function friendsOf(
  ex: Executor,
  k: { campaignId: string; userId: string; side: 'helpers' | 'helped'; limit: number },
): Promise<{ count: number; recent: FriendRow[] }> {
  const [self, friend] = k.side === 'helpers' ? [likes.sharerId, likes.likerId] : [likes.likerId, likes.sharerId];
  const where = and(eq(likes.campaignId, k.campaignId), eq(self, k.userId));
  const lastLikedAt = max(likes.createdAt);
  const [counted, recent] = await Promise.all([
    ex.select({ count: countDistinct(friend) }).from(likes).where(where),
    ex
      .select({ id: users.id, nickname: users.nickname, avatarUrl: users.avatarUrl })
      .from(likes)
      .innerJoin(users, eq(users.id, friend))
      .where(where)
      .groupBy(users.id)
      .orderBy(desc(lastLikedAt), users.id)
      .limit(k.limit),
  ]);
  return { count: Number(counted[0]?.count ?? 0), recent };
}

/**
 * Voids every like the liker gave (in one campaign, or in all when null) in one statement: a
 * compensating `like_voided` ledger row per credited row (negative amount, same like and team), and
 * the sharers' and teams' balances reduced by exactly those rows. The partial unique index
 * `energy_ledger_voided_once` makes a like voided twice (two reviews racing) insert nothing the
 * second time, so balances move once. Nothing is deleted: the likes and their rows stay as history.
 */
export async function voidLikesBy(
  ex: Executor,
  v: { likerId: string; campaignId: string | null; at: Date },
): Promise<{ likes: number; energy: number; credited: string[] }> {
  const [row] = await rows<{ likes: number; energy: number; credited: string[] | string | null }>(
    ex,
    sql`
      with voided as (
        insert into energy_ledger (campaign_id, user_id, team_id, amount, reason, like_id, created_at)
        select l.campaign_id, l.user_id, l.team_id, -l.amount, 'like_voided', l.like_id, ${v.at}
        from energy_ledger l join likes k on k.id = l.like_id
        where k.liker_id = ${v.likerId}
          ${v.campaignId ? sql`and k.campaign_id = ${v.campaignId}` : sql``}
          and l.reason in ('like', 'new_liker_like')
        on conflict (like_id, user_id) where reason = 'like_voided' do nothing
        returning campaign_id, user_id, team_id, amount, like_id
      ),
      sharers as (
        update participants p set energy = p.energy + s.total
        from (select campaign_id, user_id, sum(amount) as total from voided group by 1, 2) s
        where p.campaign_id = s.campaign_id and p.user_id = s.user_id
        returning 1
      ),
      team_balances as (
        update teams t set energy = t.energy + s.total
        from (select team_id, sum(amount) as total from voided where team_id is not null group by 1) s
        where t.id = s.team_id
        returning 1
      )
      select count(distinct like_id)::int as likes, coalesce(-sum(amount), 0)::int as energy,
             coalesce(array_agg(distinct user_id::text), '{}') as credited,
             (select count(*) from sharers) + (select count(*) from team_balances) as touched
      from voided`,
  );
  return { likes: Number(row?.likes ?? 0), energy: Number(row?.energy ?? 0), credited: textArray(row?.credited) };
}

/** node-postgres parses a text[] into an array; a driver may also hand back its literal (`{a,b}`). */
function textArray(v: string[] | string | null | undefined): string[] {
  if (Array.isArray(v)) return v;
  if (typeof v !== 'string' || v === '{}' || v === '') return [];
  return v.slice(1, -1).split(',').map((x) => x.replace(/^"|"$/g, ''));
}
