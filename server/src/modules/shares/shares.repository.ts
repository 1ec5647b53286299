import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { invitations, shareOpens, shares } from '../../db/schema/index.js';

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

/** Writes the edge; the primary key lets the first of two racing first opens win. */
export async function recordInvitation(
  ex: Executor,
  v: { campaignId: string; inviteeId: string; inviterId: string; shareId: string; at: Date },
): Promise<void> {
  await ex.insert(invitations).values({ ...v, createdAt: v.at }).onConflictDoNothing();
}
