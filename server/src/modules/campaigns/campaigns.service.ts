import type { CampaignListResponse, CampaignRules, CampaignSummary } from '@jizan/shared';
import { DEFAULT_TIME_ZONE } from '@jizan/shared/constants';
import { LRUCache } from 'lru-cache';
import type { Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { iso } from '../../lib/time.js';
import { assertLive, campaignStatus, isValidTimeZone, parseCampaignRules } from './campaign-rules.js';
import * as repo from './campaigns.repository.js';

/** A campaign row with its rules parsed and defaulted. */
export type Campaign = Omit<repo.CampaignRow, 'rules'> & { rules: CampaignRules };

/**
 * Campaigns with their rules parsed, per instance. Every update of a campaign row bumps its
 * `rulesVersion` (trigger), so a cached copy is reused only when its version is the row's: by
 * `requireCampaign` after reading the row (it skips parsing the rules again), and by the like,
 * whose statement compares the version itself and refuses a stale copy.
 */
const parsed = new LRUCache<string, Campaign>({ max: 10_000 });

/** When this instance last read each cached campaign from the database (monotonic ms). */
const readAt = new Map<string, number>();

/** How old a campaign may be on a page that only shows it (landing, campaign home, boards). */
export const CAMPAIGN_READ_TTL_MS = 1000;

function withRules(row: repo.CampaignRow): Campaign {
  readAt.set(row.id, performance.now());
  const hit = parsed.get(row.id);
  if (hit && hit.rulesVersion === row.rulesVersion) return hit;
  const campaign = { ...row, rules: parseCampaignRules(row.rules) };
  parsed.set(row.id, campaign);
  if (readAt.size > 20_000) readAt.clear();
  return campaign;
}

/** A published campaign: a draft is as unknown to users (and every user-facing rule) as a wrong id. */
export async function requireCampaign(ex: Executor, id: string): Promise<Campaign> {
  const row = await repo.findById(ex, id);
  if (!row || row.publishedAt === null) throw new AppError('CAMPAIGN_NOT_FOUND', 'No such campaign');
  return withRules(row);
}

/** Any campaign, drafts included: for operators preparing one (admin API, products). */
export async function requireCampaignForOperator(ex: Executor, id: string): Promise<Campaign> {
  const row = await repo.findById(ex, id);
  if (!row) throw new AppError('CAMPAIGN_NOT_FOUND', 'No such campaign');
  return withRules(row);
}

/**
 * The campaign as this instance last read it, without a query when cached. Only for a caller
 * whose own statement checks `rulesVersion` against the row (the like) and rereads with
 * `requireCampaign` when told the copy is stale.
 */
export async function cachedCampaign(ex: Executor, id: string): Promise<Campaign> {
  const hit = parsed.get(id);
  return hit && isPublished(hit) ? hit : requireCampaign(ex, id);
}

/** Operators' reads cache drafts too; a user-facing read treats a cached draft as a miss and rereads. */
function isPublished(c: Campaign): boolean {
  return c.publishedAt !== null;
}

/**
 * The campaign for a page that shows it, read from the database at most once a second per
 * instance: every friend opening a card and every player on the home page or a board would
 * otherwise read the same row. An operator's edit shows within that second; writes never use
 * this (the like checks `rulesVersion` in its statement, the rest read the row).
 */
export async function campaignForRead(ex: Executor, id: string): Promise<Campaign> {
  const hit = parsed.get(id);
  const at = readAt.get(id);
  if (hit && isPublished(hit) && at !== undefined && performance.now() - at < CAMPAIGN_READ_TTL_MS) return hit;
  return requireCampaign(ex, id);
}

/** The campaign, refused with CAMPAIGN_NOT_ACTIVE outside its window: what every write starts with. */
export async function requireLiveCampaign(ex: Executor, id: string, now: Date): Promise<Campaign> {
  const campaign = await requireCampaign(ex, id);
  assertLive(campaign, now);
  return campaign;
}

export async function findCampaignBySlug(ex: Executor, slug: string): Promise<Campaign | undefined> {
  const row = await repo.findBySlug(ex, slug);
  return row && withRules(row);
}

export function toCampaignSummary(c: Pick<Campaign, 'id' | 'name' | 'startsAt' | 'endsAt' | 'timeZone'>, now: Date): CampaignSummary {
  return {
    id: c.id,
    name: c.name,
    startsAt: iso(c.startsAt),
    endsAt: iso(c.endsAt),
    timeZone: c.timeZone,
    status: campaignStatus(c, now),
  };
}

export async function listLiveCampaigns(deps: { db: Executor; clock: Clock }): Promise<CampaignListResponse> {
  const now = deps.clock.now();
  const rows = await repo.listLive(deps.db, now);
  return { campaigns: rows.map((r) => toCampaignSummary(r, now)) };
}

/** The user's energy balance in the campaign (0 before they earn any). */
export function participantEnergy(ex: Executor, campaignId: string, userId: string): Promise<number> {
  return repo.participantEnergy(ex, campaignId, userId);
}

/** Makes the user a participant of the campaign (idempotent), so they show on its user board. */
export function ensureParticipant(ex: Executor, campaignId: string, userId: string): Promise<void> {
  return repo.ensureParticipant(ex, campaignId, userId);
}

export interface NewCampaignInput {
  slug: string;
  name: string;
  description?: string;
  startsAt: Date;
  endsAt: Date;
  timeZone?: string;
  rules?: Partial<CampaignRules>;
  /** An operator's draft, invisible to users until published; seeded and test campaigns are published. */
  draft?: boolean;
}

function checkWindow(timeZone: string, startsAt: Date, endsAt: Date): void {
  if (!isValidTimeZone(timeZone)) throw new AppError('VALIDATION_FAILED', `Unknown time zone ${timeZone}`);
  if (!(endsAt > startsAt)) throw new AppError('VALIDATION_FAILED', 'A campaign must end after it starts');
}

/** The one way campaigns are made (seed now, the admin API later): rules and window are checked here. */
export async function createCampaign(deps: { db: Executor }, input: NewCampaignInput): Promise<Campaign> {
  const timeZone = input.timeZone ?? DEFAULT_TIME_ZONE;
  checkWindow(timeZone, input.startsAt, input.endsAt);
  const rules = parseCampaignRules(input.rules ?? {});
  const row = await repo.insert(deps.db, {
    slug: input.slug,
    name: input.name,
    description: input.description ?? '',
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    timeZone,
    rules,
    ...(input.draft ? { publishedAt: null } : {}),
  });
  return withRules(row);
}

export interface CampaignPatch {
  name?: string;
  description?: string;
  startsAt?: Date;
  endsAt?: Date;
  timeZone?: string;
  /** Merged over the current rules, then validated as a whole. */
  rules?: Partial<CampaignRules>;
  publishedAt?: Date;
}

/**
 * The one way a campaign changes after creation (the admin API's edits and lifecycle moves), so
 * whatever must follow a change (cache invalidation) has one place to live. Runs in the caller's
 * executor, so the admin API's audit row commits with it. The next like reads the new rules.
 */
export async function updateCampaign(ex: Executor, id: string, patch: CampaignPatch): Promise<Campaign> {
  const current = await requireCampaignForOperator(ex, id);
  const timeZone = patch.timeZone ?? current.timeZone;
  checkWindow(timeZone, patch.startsAt ?? current.startsAt, patch.endsAt ?? current.endsAt);
  const rules = patch.rules ? parseCampaignRules({ ...current.rules, ...patch.rules }) : undefined;
  const row = await repo.update(ex, id, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.startsAt ? { startsAt: patch.startsAt } : {}),
    ...(patch.endsAt ? { endsAt: patch.endsAt } : {}),
    ...(patch.timeZone ? { timeZone } : {}),
    ...(rules ? { rules } : {}),
    ...(patch.publishedAt ? { publishedAt: patch.publishedAt } : {}),
  });
  if (!row) throw new AppError('CAMPAIGN_NOT_FOUND', 'No such campaign');
  return withRules(row);
}
