import { and, asc, eq, gt, isNotNull, lte } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { campaigns, participants } from '../../db/schema/index.js';

export type CampaignRow = typeof campaigns.$inferSelect;
export type NewCampaign = typeof campaigns.$inferInsert;

export async function findById(ex: Executor, id: string): Promise<CampaignRow | undefined> {
  const [row] = await ex.select().from(campaigns).where(eq(campaigns.id, id));
  return row;
}

export async function findBySlug(ex: Executor, slug: string): Promise<CampaignRow | undefined> {
  const [row] = await ex.select().from(campaigns).where(eq(campaigns.slug, slug));
  return row;
}

export async function listLive(ex: Executor, now: Date): Promise<CampaignRow[]> {
  return ex
    .select()
    .from(campaigns)
    .where(and(isNotNull(campaigns.publishedAt), lte(campaigns.startsAt, now), gt(campaigns.endsAt, now)))
    .orderBy(asc(campaigns.endsAt));
}

export async function insert(ex: Executor, values: NewCampaign): Promise<CampaignRow> {
  const [row] = await ex.insert(campaigns).values(values).returning();
  return row!;
}

/** Writes the given columns; the one place a campaign changes after creation. */
export async function update(ex: Executor, id: string, patch: Partial<NewCampaign>): Promise<CampaignRow | undefined> {
  const [row] = await ex.update(campaigns).set(patch).where(eq(campaigns.id, id)).returning();
  return row;
}

export async function participantEnergy(ex: Executor, campaignId: string, userId: string): Promise<number> {
  const [row] = await ex
    .select({ energy: participants.energy })
    .from(participants)
    .where(and(eq(participants.campaignId, campaignId), eq(participants.userId, userId)));
  return row?.energy ?? 0;
}

/** Makes the user a participant of the campaign (idempotent). */
export async function ensureParticipant(ex: Executor, campaignId: string, userId: string): Promise<void> {
  await ex.insert(participants).values({ campaignId, userId }).onConflictDoNothing();
}
