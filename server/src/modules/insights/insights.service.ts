import type { CampaignFunnel, CampaignOverview, FunnelQuery, HourlyActivity, InviteTree, KFactorDay, RetentionCohort, TopInviter } from '@jizan/shared';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { campaignDay } from '../campaigns/campaign-rules.js';
import { requireCampaign, type Campaign } from '../campaigns/campaigns.service.js';
import { couponBooks } from '../coupons/coupons.service.js';
import { redPacketBooks } from '../redpackets/redpackets.service.js';
import { channelFunnels, cohortRow, funnelRange, funnelStages, kFactor, nestInvites, retentionDue } from './insights-rules.js';
import * as repo from './insights.repository.js';

export interface InsightsDeps {
  db: Db;
  clock: Clock;
}

/** Events this much older than the watermark are read again, for transactions that committed late. */
export const ROLLUP_MARGIN_MS = 5 * 60_000;
/** Campaigns are rolled up this long after their end, so day-30 retention of the last cohort is seen. */
export const ROLLUP_DAYS_AFTER_END = 32;
/** The invite tree answers at most this many people; deeper or wider trees say `truncated`. */
export const INVITE_TREE_MAX_NODES = 2000;
export const INVITE_TREE_DEFAULT_DEPTH = 3;

/**
 * Brings one campaign's rollups up to now, in one transaction holding the campaign's watermark
 * row: every event since the watermark (less the margin) is folded in again, which is harmless
 * because the folds are idempotent. Answers the new watermark.
 */
export async function refreshRollups(deps: InsightsDeps, campaignId: string): Promise<Date> {
  const campaign = await requireCampaign(deps.db, campaignId);
  const upto = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const watermark = await repo.lockWatermark(tx, campaign.id);
    const since = watermark ? new Date(watermark.getTime() - ROLLUP_MARGIN_MS) : null;
    await repo.foldUsers(tx, { campaignId: campaign.id, timeZone: campaign.timeZone }, since);
    await repo.fillFirstOpenChannels(tx, campaign.id);
    await repo.recountHours(tx, campaign.id, since);
    await repo.setWatermark(tx, campaign.id, upto);
  });
  return upto;
}

/** The `insights-rollup` job: every campaign whose numbers can still move. */
export async function refreshDueRollups(deps: InsightsDeps, opts: { signal?: AbortSignal } = {}): Promise<number> {
  const due = await repo.campaignsToRoll(deps.db, deps.clock.now(), ROLLUP_DAYS_AFTER_END);
  let done = 0;
  for (const c of due) {
    if (opts.signal?.aborted) break;
    await refreshRollups(deps, c.id);
    done += 1;
  }
  return done;
}

async function asOf(ex: Executor, campaignId: string): Promise<string | null> {
  return (await repo.watermarkOf(ex, campaignId))?.toISOString() ?? null;
}

export async function campaignOverview(deps: { db: Executor }, campaignId: string): Promise<CampaignOverview> {
  const campaign = await requireCampaign(deps.db, campaignId);
  const [counts, watermark, money, coupons] = await Promise.all([
    repo.overviewCounts(deps.db, campaign.id),
    asOf(deps.db, campaign.id),
    redPacketBooks(deps.db, campaign),
    couponBooks(deps.db, campaign.id),
  ]);
  return {
    campaignId: campaign.id,
    asOf: watermark,
    participants: counts.participants,
    teams: counts.teams,
    shares: counts.shares,
    opens: counts.opens,
    likes: counts.likes,
    energyIssued: counts.energy,
    groupBuys: counts.groupBuys,
    redPackets: {
      claimed: money.tierClaims,
      poolShares: money.poolShares,
      paid: money.tierPaid + money.poolPaid,
      budget: money.budget,
      budgetLeft: money.budgetLeft,
      delivered: money.delivered,
      pending: money.pending,
      failed: money.failed,
      settledAt: money.settledAt,
    },
    coupons,
  };
}

export async function campaignFunnel(deps: { db: Executor; clock: Clock }, campaignId: string, q: FunnelQuery): Promise<CampaignFunnel> {
  const campaign = await requireCampaign(deps.db, campaignId);
  const range = funnelRange(q, campaign, deps.clock.now());
  if (!range.valid) throw new AppError('VALIDATION_FAILED', '`to` must be later than `from`');
  const [counts, watermark] = await Promise.all([repo.funnelCounts(deps.db, campaign.id, range.from, range.to), asOf(deps.db, campaign.id)]);
  return {
    campaignId: campaign.id,
    asOf: watermark,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    stages: funnelStages(counts),
    channels: channelFunnels(counts.byChannel),
  };
}

export async function inviteTree(
  deps: { db: Executor },
  userId: string,
  q: { campaignId?: string | undefined; depth?: number | undefined },
): Promise<InviteTree> {
  const campaignId = q.campaignId ?? (await repo.latestCampaignOf(deps.db, userId));
  if (!campaignId) throw new AppError('USER_NOT_FOUND', 'This user took part in no campaign and invited nobody; name a campaignId to be sure');
  const campaign = await requireCampaign(deps.db, campaignId);
  const maxDepth = q.depth ?? INVITE_TREE_DEFAULT_DEPTH;
  const found = await repo.inviteTree(deps.db, { campaignId: campaign.id, rootId: userId, maxDepth, limit: INVITE_TREE_MAX_NODES + 2 });
  // Rows one level beyond the depth asked for, or beyond the node limit, only say "there is more".
  const within = found.filter((r) => r.depth <= maxDepth).slice(0, INVITE_TREE_MAX_NODES + 1);
  const tree = nestInvites(within);
  if (!tree) throw new AppError('NOT_FOUND', 'No user has this id');
  const truncated = within.length < found.length;
  return { campaignId: campaign.id, root: tree.root, depth: tree.depth, size: tree.size, truncated };
}

export async function topInvitersPage(deps: { db: Executor }, campaignId: string, after: [number, string] | null, limit: number): Promise<TopInviter[]> {
  await requireCampaign(deps.db, campaignId);
  return repo.topInviters(deps.db, campaignId, after, limit);
}

export async function kFactorPage(deps: { db: Executor }, campaignId: string, after: string | null, limit: number): Promise<KFactorDay[]> {
  const campaign = await requireCampaign(deps.db, campaignId);
  const days = await repo.kFactorDays(deps.db, { campaignId: campaign.id, timeZone: campaign.timeZone }, after, limit);
  return days.map((d) => ({ ...d, kFactor: kFactor(d.invited, d.newParticipants) }));
}

export async function retentionPage(
  deps: { db: Executor; clock: Clock },
  campaignId: string,
  after: string | null,
  limit: number,
): Promise<RetentionCohort[]> {
  const campaign = await requireCampaign(deps.db, campaignId);
  const today = campaignDay(deps.clock.now(), campaign.timeZone);
  const cohorts = await repo.retentionCohorts(deps.db, { campaignId: campaign.id, timeZone: campaign.timeZone }, after, limit);
  const due = (day: string, offset: number, value: number) => (retentionDue(day, offset, today) ? value : null);
  return cohorts.map((c) => cohortRow(c.day, c.users, due(c.day, 1, c.day1), due(c.day, 7, c.day7), due(c.day, 30, c.day30)));
}

export async function hourlyPage(
  deps: { db: Executor; clock: Clock },
  campaignId: string,
  q: { from?: string | undefined; to?: string | undefined },
  after: string | null,
  limit: number,
): Promise<HourlyActivity[]> {
  const campaign: Campaign = await requireCampaign(deps.db, campaignId);
  const range = funnelRange(q, campaign, deps.clock.now());
  if (!range.valid) throw new AppError('VALIDATION_FAILED', '`to` must be later than `from`');
  return repo.hourly(deps.db, { campaignId: campaign.id, from: range.from, to: range.to, after, limit });
}
