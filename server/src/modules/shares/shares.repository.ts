import { eq, sql } from 'drizzle-orm';
import { preparedRows, type Db, type Executor } from '../../db/client.js';
import type { ShareChannel } from '@jizan/shared';
import { invitations, shareScenes, shares } from '../../db/schema/index.js';

export type ShareRow = typeof shares.$inferSelect;

export async function insertShare(
  ex: Executor,
  v: { token: string; campaignId: string; sharerId: string; teamId: string | null; kind: ShareRow['kind']; groupId: string | null; at: Date },
): Promise<ShareRow> {
  const [row] = await ex.insert(shares).values({ ...v, createdAt: v.at }).returning();
  return row!;
}

export async function findByToken(ex: Executor, token: string): Promise<ShareRow | undefined> {
  const [row] = await ex.select().from(shares).where(eq(shares.token, token));
  return row;
}

export interface ShareOpen {
  shareId: string;
  viewerId: string | null;
  at: Date;
  channel: ShareChannel;
}

/**
 * Many opens in one insert (the landing buffers them): three array parameters, so the statement
 * is the same text, prepared once, however many opens it carries.
 */
export async function recordOpens(db: Db, opens: ShareOpen[]): Promise<void> {
  if (opens.length === 0) return;
  await preparedRows(
    db,
    'record_share_opens',
    `insert into share_opens (share_id, viewer_id, opened_at, channel)
     select * from unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::text[])`,
    [opens.map((o) => o.shareId), opens.map((o) => o.viewerId), opens.map((o) => o.at.toISOString()), opens.map((o) => o.channel)],
  );
}

/** Everything a card's landing shows that is not the card or the campaign, read live in one statement. */
export interface LandingFacts {
  sharer: { id: string; nickname: string; avatarUrl: string | null };
  sharerEnergy: number;
  sharerTeam: { id: string; name: string; energy: number; memberCount: number } | null;
  viewerTeamId: string | null;
  likedThisSharerToday: boolean;
  likesGivenToday: number;
  sharerLikesReceivedToday: number;
  viewerHasInviter: boolean;
  viewerHasShared: boolean;
}

/**
 * A read join over the sharer's user row, balance and team, and the viewer's team, today's like
 * counters and attribution facts (false and 0 without a viewer): every lookup one index probe, in
 * one round trip and one snapshot, on a prepared statement. Undefined when the sharer is gone.
 */
const LANDING_FACTS = `
  select s.id, s.nickname, s.avatar_url,
         coalesce((select p.energy from participants p where p.campaign_id = $1 and p.user_id = s.id), 0) as sharer_energy,
         t.id as team_id, t.name as team_name, t.energy as team_energy, t.member_count as team_member_count,
         vm.team_id as viewer_team_id,
         exists (select 1 from likes l
                 where l.campaign_id = $1 and l.liker_id = $3 and l.sharer_id = s.id and l.day = $4) as liked_today,
         coalesce((select d.count from daily_like_counts d
                   where d.campaign_id = $1 and d.user_id = $3 and d.day = $4 and d.direction = 'given'), 0) as given_today,
         coalesce((select d.count from daily_like_counts d
                   where d.campaign_id = $1 and d.user_id = s.id and d.day = $4 and d.direction = 'received'), 0) as received_today,
         exists (select 1 from invitations i where i.campaign_id = $1 and i.invitee_id = $3) as viewer_has_inviter,
         exists (select 1 from shares v where v.campaign_id = $1 and v.sharer_id = $3) as viewer_has_shared
  from users s
  left join team_members sm on sm.campaign_id = $1 and sm.user_id = s.id
  left join teams t on t.id = sm.team_id
  left join team_members vm on vm.campaign_id = $1 and vm.user_id = $3
  where s.id = $2`;

export async function landingFacts(
  db: Db,
  k: { campaignId: string; sharerId: string; viewerId: string | null; day: string },
): Promise<LandingFacts | undefined> {
  type Raw = {
    id: string;
    nickname: string;
    avatar_url: string | null;
    sharer_energy: unknown;
    team_id: string | null;
    team_name: string | null;
    team_energy: unknown;
    team_member_count: unknown;
    viewer_team_id: string | null;
    liked_today: boolean;
    given_today: unknown;
    received_today: unknown;
    viewer_has_inviter: boolean;
    viewer_has_shared: boolean;
  };
  const [r] = await preparedRows<Raw>(db, 'landing_facts', LANDING_FACTS, [k.campaignId, k.sharerId, k.viewerId, k.day]);
  if (!r) return undefined;
  return {
    sharer: { id: r.id, nickname: r.nickname, avatarUrl: r.avatar_url },
    sharerEnergy: Number(r.sharer_energy),
    sharerTeam: r.team_id
      ? { id: r.team_id, name: r.team_name ?? '', energy: Number(r.team_energy), memberCount: Number(r.team_member_count) }
      : null,
    viewerTeamId: r.viewer_team_id,
    likedThisSharerToday: Boolean(r.liked_today),
    likesGivenToday: Number(r.given_today),
    sharerLikesReceivedToday: Number(r.received_today),
    viewerHasInviter: Boolean(r.viewer_has_inviter),
    viewerHasShared: Boolean(r.viewer_has_shared),
  };
}

/** Writes the edge; the primary key lets the first of two racing first opens win. */
export async function recordInvitation(
  ex: Executor,
  v: { campaignId: string; inviteeId: string; inviterId: string; shareId: string; at: Date },
): Promise<void> {
  await ex.insert(invitations).values({ ...v, createdAt: v.at }).onConflictDoNothing();
}

/**
 * The card's poster scene, made on first ask: a card has one (unique share_id), so two posters
 * drawn at once agree on it; a scene taken by another card (71 random bits: never in practice)
 * leaves the card without one and the caller tries a fresh scene.
 */
export async function sceneOf(ex: Executor, v: { shareId: string; scene: string; expiresAt: Date; at: Date }): Promise<string | undefined> {
  await ex
    .insert(shareScenes)
    .values({ scene: v.scene, shareId: v.shareId, expiresAt: v.expiresAt, createdAt: v.at })
    .onConflictDoNothing();
  const [row] = await ex.select({ scene: shareScenes.scene }).from(shareScenes).where(eq(shareScenes.shareId, v.shareId));
  return row?.scene;
}

/** The card a scene stands for, with when the scene stops resolving. */
export async function findScene(ex: Executor, scene: string): Promise<{ token: string; expiresAt: Date } | undefined> {
  const [row] = await ex
    .select({ token: shares.token, expiresAt: shareScenes.expiresAt })
    .from(shareScenes)
    .innerJoin(shares, eq(shares.id, shareScenes.shareId))
    .where(eq(shareScenes.scene, scene));
  return row;
}
