import { CampaignRules, type CampaignStatus } from '@jizan/shared';
import { Value } from 'typebox/value';
import { AppError } from '../../lib/errors.js';

/** Fills defaults and validates (the schema, then what it cannot say); stored rules are re-read through this so old rows pick up new defaults. */
export function parseCampaignRules(raw: unknown): CampaignRules {
  const withDefaults = Value.Default(CampaignRules, structuredClone(raw ?? {}));
  if (!Value.Check(CampaignRules, withDefaults)) {
    const first = [...Value.Errors(CampaignRules, withDefaults)][0];
    throw new AppError('VALIDATION_FAILED', 'Campaign rules are invalid', {
      path: first?.instancePath,
      message: first?.message,
    });
  }
  const ladder = ladderProblem(withDefaults.redPacketTiers);
  if (ladder) throw new AppError('VALIDATION_FAILED', `Campaign rules are invalid: ${ladder}`, { path: '/redPacketTiers', message: ladder });
  return withDefaults;
}

/**
 * What is wrong with a red-packet ladder, or null when it is sound: energy must rise strictly from
 * rung to rung, so "the next tier" and "tiers reached" mean one thing. The schema cannot say this,
 * so the rule parser checks it, and no campaign with a broken ladder is ever created or read.
 */
export function ladderProblem(tiers: CampaignRules['redPacketTiers']): string | null {
  for (let i = 1; i < tiers.length; i++) {
    if (tiers[i]!.energy <= tiers[i - 1]!.energy) {
      return `redPacketTiers: tier ${i + 1} needs more energy than tier ${i} (${tiers[i]!.energy} ≤ ${tiers[i - 1]!.energy})`;
    }
  }
  // A coupon rung's terms say when it ends in exactly one way, and only a coupon rung has terms.
  for (const [i, t] of tiers.entries()) {
    if ((t.reward ?? 'cash') === 'cash') {
      if (t.coupon) return `redPacketTiers: tier ${i + 1} pays cash, so it takes no coupon terms`;
      continue;
    }
    if (!t.coupon) return `redPacketTiers: tier ${i + 1} pays a coupon and needs its terms (minSpend, expiresAt or validDays)`;
    if ((t.coupon.expiresAt === undefined) === (t.coupon.validDays === undefined)) {
      return `redPacketTiers: tier ${i + 1}'s coupon needs exactly one of expiresAt and validDays`;
    }
  }
  return null;
}

export interface CampaignWindow {
  startsAt: Date;
  endsAt: Date;
}

/** Live from `startsAt` (inclusive) until `endsAt` (exclusive). */
export function campaignStatus(c: CampaignWindow, now: Date): CampaignStatus {
  if (now < c.startsAt) return 'upcoming';
  if (now >= c.endsAt) return 'ended';
  return 'live';
}

export function isLive(c: CampaignWindow, now: Date): boolean {
  return campaignStatus(c, now) === 'live';
}

export function assertLive(c: CampaignWindow, now: Date): void {
  const status = campaignStatus(c, now);
  if (status === 'upcoming') throw new AppError('CAMPAIGN_NOT_ACTIVE', 'The campaign has not started yet');
  if (status === 'ended') throw new AppError('CAMPAIGN_NOT_ACTIVE', 'The campaign is over');
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The campaign's local calendar day (YYYY-MM-DD) at `now`: daily caps reset at local midnight,
 * which for Asia/Shanghai is 16:00 UTC, not 00:00.
 */
export function campaignDay(now: Date, timeZone: string): string {
  // Every time zone changes its date on a whole minute, so one formatting per zone per minute
  // answers every request in it (formatting costs more than the rest of a page's own work).
  const minute = Math.floor(now.getTime() / 60_000);
  const last = lastDay.get(timeZone);
  if (last?.minute === minute) return last.day;
  let f = dayFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, f);
  }
  const day = f.format(now);
  lastDay.set(timeZone, { minute, day });
  return day;
}

const lastDay = new Map<string, { minute: number; day: string }>();

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
