import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertLive, campaignDay, campaignStatus, parseCampaignRules } from '../../../src/modules/campaigns/campaign-rules.js';

const window = { startsAt: new Date('2026-11-01T00:00:00Z'), endsAt: new Date('2026-11-12T00:00:00Z') };

describe('campaign window', () => {
  it('is upcoming before the start, live from the start instant, ended at the end instant', () => {
    expect(campaignStatus(window, new Date('2026-10-31T23:59:59.999Z'))).toBe('upcoming');
    expect(campaignStatus(window, window.startsAt)).toBe('live');
    expect(campaignStatus(window, new Date('2026-11-11T23:59:59.999Z'))).toBe('live');
    expect(campaignStatus(window, window.endsAt)).toBe('ended');
  });

  it('refuses actions outside the window with CAMPAIGN_NOT_ACTIVE', () => {
    expect(() => assertLive(window, new Date('2026-10-01T00:00:00Z'))).toThrow(expect.objectContaining({ code: 'CAMPAIGN_NOT_ACTIVE' }));
    expect(() => assertLive(window, window.endsAt)).toThrow(expect.objectContaining({ code: 'CAMPAIGN_NOT_ACTIVE' }));
    expect(() => assertLive(window, new Date('2026-11-05T00:00:00Z'))).not.toThrow();
  });
});

describe('campaign day', () => {
  it('turns over at local midnight: 16:00 UTC for Asia/Shanghai, not 00:00 UTC', () => {
    expect(campaignDay(new Date('2026-11-10T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-11-10');
    expect(campaignDay(new Date('2026-11-10T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-11-11');
    expect(campaignDay(new Date('2026-11-10T23:00:00Z'), 'UTC')).toBe('2026-11-10');
  });

  it('is the UTC date shifted by +8 hours for any instant in Shanghai (no DST there)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }), (d) => {
        const shifted = new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
        expect(campaignDay(d, 'Asia/Shanghai')).toBe(shifted);
      }),
    );
  });
});

describe('campaign rules', () => {
  it('fills the defaults an operator did not state', () => {
    expect(parseCampaignRules({})).toEqual({
      teamSizeLimit: 5,
      likeEnergy: 10,
      firstLikeMultiplier: 2,
      groupJoinEnergy: 30,
      dailyLikeCap: 20,
      sharerDailyLikeCap: null,
      teammateLikes: 'refused',
      redPacketTiers: [],
      redPacketClaimDeadline: null,
      redPacketBudget: 0,
      prizePool: 0,
      prizePoolMinTeamEnergy: 0,
    });
    expect(parseCampaignRules({ dailyLikeCap: 3 }).dailyLikeCap).toBe(3);
  });

  it('refuses rules that would break the game', () => {
    for (const bad of [{ teamSizeLimit: 0 }, { likeEnergy: -5 }, { dailyLikeCap: 1.5 }, { sharerDailyLikeCap: 'many' }]) {
      expect(() => parseCampaignRules(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    }
  });

  it('refuses a red-packet ladder whose energy does not rise, saying which rung is wrong', () => {
    const flat = { redPacketTiers: [{ energy: 100, amount: 188 }, { energy: 500, amount: 588 }, { energy: 500, amount: 1888 }] };
    expect(() => parseCampaignRules(flat)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/tier 3 needs more energy than tier 2/) }),
    );
    const sound = { redPacketTiers: [{ energy: 100, amount: 188 }, { energy: 500, amount: 588 }] };
    expect(parseCampaignRules(sound).redPacketTiers).toEqual(sound.redPacketTiers);
  });
});
