import type { JoinBlocker, TeamSummary } from '@jizan/shared';

export function seatsLeft(memberCount: number, teamSizeLimit: number): number {
  return Math.max(0, teamSizeLimit - memberCount);
}

export function teamSummary(
  t: { id: string; name: string; energy: number; memberCount: number },
  teamSizeLimit: number,
): TeamSummary {
  return { id: t.id, name: t.name, energy: t.energy, memberCount: t.memberCount, maxMembers: teamSizeLimit };
}

export interface JoinFacts {
  authenticated: boolean;
  campaignLive: boolean;
  /** The team the card leads to (the sharer's), if any. */
  team: { id: string; memberCount: number } | null;
  /** The viewer's own team in this campaign, if any. */
  viewerTeamId: string | null;
  teamSizeLimit: number;
}

/** Why a join would be refused right now, in the order the join itself checks; null when allowed. */
export function joinBlockedBy(f: JoinFacts): JoinBlocker | null {
  if (!f.authenticated) return 'UNAUTHENTICATED';
  if (!f.campaignLive) return 'CAMPAIGN_NOT_ACTIVE';
  if (!f.team) return 'NOT_IN_TEAM';
  if (f.viewerTeamId) return 'ALREADY_IN_TEAM';
  if (seatsLeft(f.team.memberCount, f.teamSizeLimit) === 0) return 'TEAM_FULL';
  return null;
}
