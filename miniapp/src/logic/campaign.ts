import type { CampaignSummary } from '@jizan/shared';

/** The campaign the app opens on: the first live one, else the next upcoming, else the latest. */
export function pickCampaign(campaigns: readonly CampaignSummary[]): CampaignSummary | null {
  return (
    campaigns.find((c) => c.status === 'live') ??
    campaigns.find((c) => c.status === 'upcoming') ??
    campaigns[0] ??
    null
  );
}
