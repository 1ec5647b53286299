import type { CampaignSummary } from '@jizan/shared';

/**
 * The campaign the app opens on. The API lists only live campaigns, soonest to end first, so
 * this is the first live one; any other the list might hold (none today) comes after.
 */
export function pickCampaign(campaigns: readonly CampaignSummary[]): CampaignSummary | null {
  return campaigns.find((c) => c.status === 'live') ?? campaigns[0] ?? null;
}
