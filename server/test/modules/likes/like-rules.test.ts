import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCampaignRules } from '../../../src/modules/campaigns/campaign-rules.js';
import { likeBlockedBy, likeEnergy, likesLeftToday, teammateLikeBlockedBy, type LikeFacts } from '../../../src/modules/likes/like-rules.js';

const rules = { likeEnergy: 10, firstLikeMultiplier: 2, dailyLikeCap: 20, sharerDailyLikeCap: null, teammateLikes: 'refused' as const };
const allowed: LikeFacts = {
  authenticated: true,
  campaignLive: true,
  isSelf: false,
  likerTeamId: null,
  sharerTeamId: 'team-s',
  likedThisSharerToday: false,
  likesGivenToday: 0,
  sharerLikesReceivedToday: 0,
  rules,
};

describe('like energy', () => {
  it('is the campaign amount, doubled for a liker’s first like ever', () => {
    expect(likeEnergy(rules, false)).toBe(10);
    expect(likeEnergy(rules, true)).toBe(20);
    expect(likeEnergy({ likeEnergy: 7, firstLikeMultiplier: 3 }, true)).toBe(21);
  });
});

describe('who may like', () => {
  it('allows a logged-in friend inside the window with likes left', () => {
    expect(likeBlockedBy(allowed)).toBeNull();
  });

  it('refuses self-likes, repeat likes of the same friend today, and likes past the daily cap', () => {
    expect(likeBlockedBy({ ...allowed, isSelf: true })).toBe('SELF_LIKE');
    expect(likeBlockedBy({ ...allowed, likedThisSharerToday: true })).toBe('ALREADY_LIKED');
    expect(likeBlockedBy({ ...allowed, likesGivenToday: 19 })).toBeNull();
    expect(likeBlockedBy({ ...allowed, likesGivenToday: 20 })).toBe('DAILY_LIKE_CAP');
    expect(likeBlockedBy({ ...allowed, campaignLive: false })).toBe('CAMPAIGN_NOT_ACTIVE');
    expect(likeBlockedBy({ ...allowed, authenticated: false })).toBe('UNAUTHENTICATED');
  });

  it('refuses a like between teammates unless the campaign allows it, before any cap', () => {
    const teammates = { ...allowed, likerTeamId: 'team-s', likesGivenToday: 20, likedThisSharerToday: true };
    expect(likeBlockedBy(teammates)).toBe('TEAMMATE_LIKE');
    expect(likeBlockedBy({ ...teammates, isSelf: true })).toBe('SELF_LIKE');
    expect(likeBlockedBy({ ...teammates, rules: { ...rules, teammateLikes: 'allowed' } })).toBe('ALREADY_LIKED');
    expect(likeBlockedBy({ ...allowed, likerTeamId: 'team-other' })).toBeNull();
  });

  it('applies the sharer cap only when the campaign sets one', () => {
    expect(likeBlockedBy({ ...allowed, sharerLikesReceivedToday: 10_000 })).toBeNull();
    const capped = { ...allowed, rules: { ...rules, sharerDailyLikeCap: 3 } };
    expect(likeBlockedBy({ ...capped, sharerLikesReceivedToday: 2 })).toBeNull();
    expect(likeBlockedBy({ ...capped, sharerLikesReceivedToday: 3 })).toBe('SHARER_DAILY_CAP');
  });

  it('never allows a like once the day’s cap is reached, whatever the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 1000 }), (cap, given) => {
        const blocked = likeBlockedBy({ ...allowed, likesGivenToday: given, rules: { ...rules, dailyLikeCap: cap } });
        expect(blocked === 'DAILY_LIKE_CAP').toBe(given >= cap);
        expect(likesLeftToday({ dailyLikeCap: cap }, given)).toBe(Math.max(0, cap - given));
      }),
    );
  });
});

describe('teammate likes', () => {
  it('are refused by default, and allowed when the campaign says so', () => {
    const defaults = parseCampaignRules({});
    expect(defaults.teammateLikes).toBe('refused');
    expect(teammateLikeBlockedBy(defaults, 'team-1', 'team-1')).toBe('TEAMMATE_LIKE');
    expect(teammateLikeBlockedBy({ teammateLikes: 'allowed' }, 'team-1', 'team-1')).toBeNull();
  });

  it('never block likes across teams or from people without a team', () => {
    const refused = { teammateLikes: 'refused' as const };
    expect(teammateLikeBlockedBy(refused, 'team-1', 'team-2')).toBeNull();
    expect(teammateLikeBlockedBy(refused, null, 'team-2')).toBeNull();
    expect(teammateLikeBlockedBy(refused, 'team-1', null)).toBeNull();
    expect(teammateLikeBlockedBy(refused, null, null)).toBeNull();
  });
});
