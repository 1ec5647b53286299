import { describe, expect, it } from 'vitest';
import { joinBlockedBy, seatsLeft } from '../../../src/modules/teams/team-rules.js';

describe('who may join', () => {
  const team = { id: 't1', memberCount: 4 };
  const facts = { authenticated: true, campaignLive: true, team, viewerTeamId: null, teamSizeLimit: 5 };
  it('allows the last seat and refuses once the team is full', () => {
    expect(joinBlockedBy(facts)).toBeNull();
    expect(joinBlockedBy({ ...facts, team: { id: 't1', memberCount: 5 } })).toBe('TEAM_FULL');
    expect(seatsLeft(5, 5)).toBe(0);
    expect(seatsLeft(7, 5)).toBe(0);
  });
  it('refuses users who already have a team, and cards whose sharer has none', () => {
    expect(joinBlockedBy({ ...facts, viewerTeamId: 'other' })).toBe('ALREADY_IN_TEAM');
    expect(joinBlockedBy({ ...facts, team: null })).toBe('NOT_IN_TEAM');
  });
});
