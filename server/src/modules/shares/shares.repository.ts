import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { invitations, shareOpens, shares, users } from '../../db/schema/index.js';

export type ShareRow = typeof shares.$inferSelect;

export async function insertShare(
  ex: Executor,
  v: { token: string; campaignId: string; sharerId: string; teamId: string | null; kind: 'like' | 'team'; at: Date },
): Promise<ShareRow> {
  const [row] = await ex.insert(shares).values({ ...v, createdAt: v.at }).returning();
  return row!;
}

export async function findWithSharer(ex: Executor, token: string) {
  const [row] = await ex
    .select({ share: shares, sharer: { id: users.id, nickname: users.nickname, avatarUrl: users.avatarUrl } })
    .from(shares)
    .innerJoin(users, eq(users.id, shares.sharerId))
    .where(eq(shares.token, token));
  return row;
}

export async function recordOpen(ex: Executor, shareId: string, viewerId: string | null, at: Date): Promise<void> {
  await ex.insert(shareOpens).values({ shareId, viewerId, openedAt: at });
}

export async function attributionFacts(ex: Executor, campaignId: string, viewerId: string) {
  const [row] = await ex
    .select({
      hasInviter: sql<boolean>`exists (select 1 from ${invitations} where ${invitations.campaignId} = ${campaignId} and ${invitations.inviteeId} = ${viewerId})`,
      hasShared: sql<boolean>`exists (select 1 from ${shares} where ${shares.campaignId} = ${campaignId} and ${shares.sharerId} = ${viewerId})`,
    })
    .from(sql`(select 1) as one`);
  return { viewerHasInviter: Boolean(row?.hasInviter), viewerHasShared: Boolean(row?.hasShared) };
}

/**
 * Writes the edge unless one exists; the primary key settles two first opens racing each other,
 * and the NOT EXISTS keeps a user who has started sharing from being claimed by someone else.
 */
export async function recordInvitation(
  ex: Executor,
  v: { campaignId: string; inviteeId: string; inviterId: string; shareId: string; at: Date },
): Promise<void> {
  await ex.execute(sql`
    insert into ${invitations} (campaign_id, invitee_id, inviter_id, share_id, created_at)
    select ${v.campaignId}, ${v.inviteeId}, ${v.inviterId}, ${v.shareId}, ${v.at}
    where not exists (select 1 from ${shares} where ${shares.campaignId} = ${v.campaignId} and ${shares.sharerId} = ${v.inviteeId})
    on conflict do nothing`);
}

export async function inviterOf(ex: Executor, campaignId: string, inviteeId: string): Promise<string | null> {
  const [row] = await ex
    .select({ inviterId: invitations.inviterId })
    .from(invitations)
    .where(and(eq(invitations.campaignId, campaignId), eq(invitations.inviteeId, inviteeId)));
  return row?.inviterId ?? null;
}
