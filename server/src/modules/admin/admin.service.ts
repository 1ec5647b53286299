import {
  type AdminCampaign,
  type AdminLedgerEntry,
  type AdminLike,
  type AdminUser,
  type LedgerAudit,
  type LedgerMismatch,
  type AdminCreateCampaignBody,
  type AdminCreateProductBody,
  type AdminStockBody,
  type AdminUpdateCampaignBody,
  type AdminUpdateProductBody,
  type CampaignLifecycle,
  type CampaignRules,
  type Product,
} from '@jizan/shared';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { iso } from '../../lib/time.js';
import { parseCampaignRules } from '../campaigns/campaign-rules.js';
import { createCampaign, findCampaignBySlug, updateCampaign } from '../campaigns/campaigns.service.js';
import { adjustStock, createProduct, findGroupBuyDrift, updateProduct } from '../groupbuy/groupbuy.service.js';
import { campaignLedgerAudit } from '../ledger/ledger.service.js';
import { recentRedPacketsOf, redPacketBooks, unbackedRedPackets, verifyRedPackets } from '../redpackets/redpackets.service.js';
import { flagsPage, toFraudFlag } from '../fraud/fraud.service.js';
import { recordAudit, type Actor } from '../operators/audit.service.js';
import * as repo from './admin.repository.js';
import { lifecycleOf, planTransition, type LifecycleFacts } from './lifecycle-rules.js';

// ---- Campaigns ----

export type SettleCampaign = (campaignId: string) => Promise<unknown>;

export interface AdminDeps {
  db: Db;
  clock: Clock;
  /** Red-packet settlement, bound to its payout provider (the `ended → settled` move). */
  settle: SettleCampaign;
}

function lifecycleFacts(row: repo.AdminCampaignRow): LifecycleFacts {
  return { publishedAt: row.publishedAt, startsAt: row.startsAt, endsAt: row.endsAt, settled: row.settled };
}

export function toAdminCampaign(row: repo.AdminCampaignRow, now: Date): AdminCampaign {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    startsAt: iso(row.startsAt),
    endsAt: iso(row.endsAt),
    timeZone: row.timeZone,
    state: lifecycleOf(lifecycleFacts(row), now),
    publishedAt: row.publishedAt ? iso(row.publishedAt) : null,
    rules: parseCampaignRules(row.rules),
    createdAt: iso(row.createdAt),
  };
}

export function campaignsPage(deps: { db: Db }, q: { state?: CampaignLifecycle; now: Date; after: KeyPartList | null; limit: number }) {
  const after = q.after ? { createdAt: String(q.after[0]), id: String(q.after[1]) } : null;
  return repo.listCampaigns(deps.db, { ...(q.state ? { state: q.state } : {}), now: q.now, after, limit: q.limit });
}

type KeyPartList = (string | number)[];

async function requireAdminCampaign(ex: Executor, id: string, lock = false): Promise<repo.AdminCampaignRow> {
  const row = await repo.findCampaign(ex, id, lock);
  if (!row) throw new AppError('CAMPAIGN_NOT_FOUND', 'No such campaign');
  return row;
}

export async function getAdminCampaign(deps: { db: Db; clock: Clock }, id: string): Promise<AdminCampaign> {
  return toAdminCampaign(await requireAdminCampaign(deps.db, id), deps.clock.now());
}

/** A new campaign, always a draft: users see it only once an operator moves it to scheduled. */
export async function createCampaignAsOperator(deps: { db: Db; clock: Clock }, actor: Actor, body: AdminCreateCampaignBody): Promise<AdminCampaign> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    if (await findCampaignBySlug(tx, body.slug)) throw new AppError('VALIDATION_FAILED', `The slug "${body.slug}" is taken`);
    const created = await createCampaign(
      { db: tx },
      {
        slug: body.slug,
        name: body.name,
        startsAt: new Date(body.startsAt),
        endsAt: new Date(body.endsAt),
        draft: true,
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.timeZone !== undefined ? { timeZone: body.timeZone } : {}),
        ...(body.rules !== undefined ? { rules: body.rules as Partial<CampaignRules> } : {}),
      },
    );
    const after = toAdminCampaign(await requireAdminCampaign(tx, created.id), now);
    await recordAudit(tx, actor, now, { action: 'campaign.create', targetType: 'campaign', targetId: created.id, before: null, after });
    return after;
  });
}

/** Edits through the campaigns service's one write function; the next like reads the new rules. */
export async function updateCampaignAsOperator(
  deps: { db: Db; clock: Clock },
  actor: Actor,
  id: string,
  body: AdminUpdateCampaignBody,
): Promise<AdminCampaign> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const before = toAdminCampaign(await requireAdminCampaign(tx, id, true), now);
    if (before.state === 'settled') throw new AppError('CAMPAIGN_TRANSITION_INVALID', 'A settled campaign is final: its rules paid out already', { from: 'settled' });
    await updateCampaign(tx, id, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.startsAt !== undefined ? { startsAt: new Date(body.startsAt) } : {}),
      ...(body.endsAt !== undefined ? { endsAt: new Date(body.endsAt) } : {}),
      ...(body.timeZone !== undefined ? { timeZone: body.timeZone } : {}),
      ...(body.rules !== undefined ? { rules: body.rules as Partial<CampaignRules> } : {}),
    });
    const after = toAdminCampaign(await requireAdminCampaign(tx, id), now);
    await recordAudit(tx, actor, now, { action: 'campaign.update', targetType: 'campaign', targetId: id, before, after });
    return after;
  });
}

/** One step along draft → scheduled → live → ended → settled; anything else is 409 CAMPAIGN_TRANSITION_INVALID. */
export async function transitionCampaign(deps: AdminDeps, actor: Actor, id: string, to: CampaignLifecycle): Promise<AdminCampaign> {
  const now = deps.clock.now();
  const current = await requireAdminCampaign(deps.db, id);
  const move = planTransition(lifecycleFacts(current), to, now);
  // Settlement owns its transaction (and its payouts); it is safe to rerun, so it runs first and
  // the audit row follows once the split is written.
  if (move.kind === 'settle') await deps.settle(id);
  return deps.db.transaction(async (tx) => {
    const locked = await requireAdminCampaign(tx, id, true);
    const before = toAdminCampaign(move.kind === 'settle' ? current : locked, now);
    if (move.kind !== 'settle') {
      // Re-planned under the row lock: a concurrent move makes this one illegal rather than doubled.
      planTransition(lifecycleFacts(locked), to, now);
      await updateCampaign(tx, id, move.kind === 'publish' ? { publishedAt: move.publishedAt } : move.kind === 'start' ? { startsAt: move.startsAt } : { endsAt: move.endsAt });
    }
    const after = toAdminCampaign(await requireAdminCampaign(tx, id), now);
    await recordAudit(tx, actor, now, { action: `campaign.${move.kind}`, targetType: 'campaign', targetId: id, before, after });
    return after;
  });
}

// ---- Products ----

export async function createProductAsOperator(deps: { db: Db; clock: Clock }, actor: Actor, campaignId: string, body: AdminCreateProductBody): Promise<Product> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const product = await createProduct({ db: tx }, { ...body, campaignId });
    await recordAudit(tx, actor, now, { action: 'product.create', targetType: 'product', targetId: product.id, before: null, after: product });
    return product;
  });
}

export async function updateProductAsOperator(deps: { db: Db; clock: Clock }, actor: Actor, productId: string, body: AdminUpdateProductBody): Promise<Product> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const { before, after } = await updateProduct(tx, productId, body);
    await recordAudit(tx, actor, now, { action: 'product.update', targetType: 'product', targetId: productId, before, after });
    return after;
  });
}

export async function adjustStockAsOperator(deps: { db: Db; clock: Clock }, actor: Actor, productId: string, body: AdminStockBody): Promise<Product> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const { before, after } = await adjustStock(tx, productId, body.delta);
    await recordAudit(tx, actor, now, {
      action: 'product.stock',
      targetType: 'product',
      targetId: productId,
      before: { stock: before.stock },
      after: { stock: after.stock, delta: body.delta, reason: body.reason ?? null },
    });
    return after;
  });
}

// ---- Ledger audit ----

/**
 * The campaign's books: energy balances against the ledger (one pass over the campaign's rows),
 * group-buy money and seats against their rows, red packets against their budget.
 */
export async function ledgerAudit(deps: { db: Db }, campaignId: string): Promise<LedgerAudit> {
  const campaign = await requireAdminCampaign(deps.db, campaignId);
  const [energy, groupBuy, money, packets, unbacked] = await Promise.all([
    campaignLedgerAudit(deps.db, campaignId),
    findGroupBuyDrift(deps.db, { campaignId }),
    verifyRedPackets(deps.db, { campaignId }),
    redPacketBooks(deps.db, { id: campaignId, rules: parseCampaignRules(campaign.rules) }),
    unbackedRedPackets(deps.db, { campaignId, userIds: null }),
  ]);
  const { drift, ...books } = energy;
  const mismatches: LedgerMismatch[] = [
    ...drift.map((d) => ({ area: 'energy' as const, kind: d.kind, id: d.id, kept: d.balance, actual: d.ledger, problem: `${d.kind} balance ${d.balance} ≠ ledger sum ${d.ledger}` })),
    ...groupBuy.map((d) => ({ area: 'groupbuy' as const, kind: d.kind, id: d.id, kept: d.kept, actual: d.actual, problem: `${d.kind} kept ${d.kept} ≠ rows ${d.actual}` })),
    ...money.map((p) => ({ area: 'redpackets' as const, kind: 'budget', id: null, kept: null, actual: null, problem: p.problem })),
  ];
  const redPackets = {
    budget: packets.budget,
    paid: packets.tierPaid + packets.poolPaid,
    budgetLeft: packets.budgetLeft,
    count: packets.tierClaims + packets.poolShares,
    delivered: packets.delivered,
    pending: packets.pending,
    failed: packets.failed,
  };
  return { campaignId, ok: mismatches.length === 0, ...books, redPackets, mismatches, unbackedRedPackets: unbacked };
}

// ---- Users ----

export function toAdminLedgerEntry(l: repo.UserLedgerRow): AdminLedgerEntry {
  return { ...l, createdAt: iso(l.createdAt) };
}

export function toAdminLike(l: repo.UserLikeRow): AdminLike {
  return { ...l, createdAt: iso(l.createdAt) };
}

async function requireUser(ex: Executor, id: string) {
  const user = await repo.findUser(ex, { id });
  if (!user) throw new AppError('USER_NOT_FOUND', 'No such user');
  return user;
}

/** A page of the user's ledger rows, newest first; the cursor is the last row's id. */
export async function userLedgerPage(deps: { db: Db }, userId: string, q: { campaignId: string | null; beforeId: number | null; limit: number }) {
  if (q.beforeId === null) await requireUser(deps.db, userId);
  return repo.userLedgerPage(deps.db, { userId, ...q });
}

/** A page of the likes the user gave or received, newest first; the cursor is the last like's id. */
export async function userLikesPage(
  deps: { db: Db },
  userId: string,
  q: { side: 'given' | 'received'; campaignId: string | null; beforeId: number | null; limit: number },
) {
  if (q.beforeId === null) await requireUser(deps.db, userId);
  return repo.userLikesPage(deps.db, { userId, ...q });
}

export async function getAdminUser(deps: { db: Db }, by: { id?: string; openid?: string }): Promise<AdminUser> {
  const user = await repo.findUser(deps.db, by);
  if (!user) throw new AppError('USER_NOT_FOUND', 'No such user');
  const [a, redPackets] = await Promise.all([repo.userActivity(deps.db, user.id), recentRedPacketsOf(deps.db, user.id, repo.RECENT)]);
  const flags = await flagsPage(deps, { userId: user.id, afterId: null, limit: 100 });
  return {
    id: user.id,
    openid: user.openid,
    nickname: user.nickname,
    createdAt: iso(user.createdAt),
    energy: a.balances.map((b) => ({ campaignId: b.campaignId, energy: b.energy })),
    ledger: a.ledger.map(toAdminLedgerEntry),
    likesGiven: { total: a.counts.given, recent: a.given.map(toAdminLike) },
    likesReceived: { total: a.counts.received, recent: a.received.map(toAdminLike) },
    teams: a.memberships.map((m) => ({ ...m, energy: Number(m.energy), joinedAt: iso(m.joinedAt) })),
    groups: a.seats.map((s) => ({ groupId: s.groupId, campaignId: s.campaignId, productId: s.productId, status: s.status, joinedAt: iso(s.joinedAt), released: s.released !== null })),
    orders: a.orders.map((o) => ({ id: o.id, groupId: o.groupId, status: o.status, amount: o.amount, paidAmount: o.paidAmount, refundedAmount: o.refundedAmount, createdAt: iso(o.createdAt) })),
    redPackets,
    fraudFlags: flags.map(toFraudFlag),
  };
}
