import type { Group, GroupJoinBlocker, OrderStatus, PaymentRequest } from '@jizan/shared';
import type { ErrorCode } from '@jizan/shared/errors';
import { LIMITS } from '@jizan/shared/constants';
import type { Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { iso } from '../../lib/time.js';
import { assertLive, campaignStatus } from '../campaigns/campaign-rules.js';
import { requireCampaign } from '../campaigns/campaigns.service.js';
import { runOnce, type Idempotency, type Outcome } from '../idempotency/idempotency.service.js';
import { joinBlockedBy, seatsLeft } from './group-rules.js';
import type { GroupBuyDeps } from './groupbuy.deps.js';
import { requireProduct } from './groupbuy.service.js';
import * as repo from './groups.repository.js';
import { orderViews } from './orders.repository.js';
import { placeOrder, toOrder } from './orders.service.js';
import { assertCanSell, collectPayment } from './payments.service.js';

// Group buys and their seats as buyers meet them: opening one, taking a seat, the group's view
// and who may join it, and the messages its members get when it ends.

const VIRTUAL_NICKNAME = '拼团好友';
const PAID_STATUSES: readonly OrderStatus[] = ['paid', 'grouped'];

/** The group as everyone sees it, derived from its seats each time so it is never stale. */
async function presentGroup(ex: Executor, groupId: string, viewerId: string | null, now: Date, payment?: PaymentRequest): Promise<Group> {
  const g = await repo.findGroup(ex, groupId);
  if (!g) throw new AppError('GROUP_NOT_FOUND', 'No such group buy');
  const [seats, mine] = await Promise.all([
    repo.seatsOf(ex, g.id),
    viewerId ? orderViews(ex, { userId: viewerId, groupId: g.id, limit: 1 }) : Promise.resolve([]),
  ]);
  const members = seats.map((s) => ({
    id: s.userId,
    nickname: s.virtual ? VIRTUAL_NICKNAME : (s.nickname ?? ''),
    avatarUrl: s.avatarUrl,
    isOpener: s.userId === g.openerId,
    virtual: s.virtual,
    paid: s.virtual || (s.orderStatus !== null && PAID_STATUSES.includes(s.orderStatus)),
    joinedAt: iso(s.joinedAt),
  }));
  return {
    id: g.id,
    productId: g.productId,
    campaignId: g.campaignId,
    status: g.status,
    groupSize: g.groupSize,
    members,
    seatsLeft: seatsLeft(g, now),
    realMembers: members.filter((m) => !m.virtual).length,
    virtualMembers: members.filter((m) => m.virtual).length,
    expiresAt: iso(g.expiresAt),
    openedAt: g.openedAt ? iso(g.openedAt) : null,
    closedAt: g.closedAt ? iso(g.closedAt) : null,
    myOrder: mine[0] ? toOrder(mine[0], payment) : null,
  };
}

export async function getGroup(deps: { db: Executor; clock: Clock }, groupId: string, viewerId: string | null): Promise<Group> {
  return presentGroup(deps.db, groupId, viewerId, deps.clock.now());
}

interface Placement {
  groupId: string;
  orderId: string;
}

/** After the placement committed (or replayed): collect payment, then answer the group as it is now. */
async function answer(deps: GroupBuyDeps, placed: Outcome<Placement>, userId: string): Promise<Outcome<Group>> {
  const payment = await collectPayment(deps, placed.body.orderId, userId);
  const body = await presentGroup(deps.db, placed.body.groupId, userId, deps.clock.now(), payment);
  return { statusCode: placed.statusCode, replayed: placed.replayed, body };
}

/**
 * Opens a group buy: the caller's order at the group price and the first seat. The group is
 * `pending` until that order is paid (at once with the dev provider) and `open` from then on.
 * A retry with the same Idempotency-Key places nothing new and answers the same group.
 */
export async function openGroup(
  deps: GroupBuyDeps,
  req: { userId: string; productId: string; couponId?: string | null; idempotency: Idempotency },
): Promise<Outcome<Group>> {
  assertCanSell(deps);
  const placed = await runOnce(deps, { userId: req.userId, ...req.idempotency, statusCode: 201 }, async (tx): Promise<Placement> => {
    const now = deps.clock.now();
    const product = await requireProduct(tx, req.productId);
    assertLive(await requireCampaign(tx, product.campaignId), now);
    const payBy = new Date(now.getTime() + deps.settings.payWindowSeconds * 1000);
    // Until the opener pays, the group lives only as long as their payment deadline.
    const group = await repo.insertGroup(tx, {
      productId: product.id,
      campaignId: product.campaignId,
      openerId: req.userId,
      groupSize: product.groupSize,
      expiresAt: payBy,
      at: now,
    });
    const order = await placeOrder(deps, tx, { product, group, userId: req.userId, shareId: null, couponId: req.couponId ?? null, now });
    return { groupId: group.id, orderId: order.id };
  });
  return answer(deps, placed, req.userId);
}

const JOIN_REFUSALS: Partial<Record<ErrorCode, string>> = {
  ALREADY_IN_GROUP: 'You already hold a seat in this group buy',
  GROUP_EXPIRED: 'This group buy has ended',
  GROUP_FULL: 'This group buy has no seat left',
  GROUP_NOT_OPEN: 'This group buy opens once its opener has paid',
};

/**
 * Takes a seat in an open group buy. The group's row lock serialises its joiners, payments and
 * close, so a group of N never seats more than N however many try at once.
 */
export async function joinGroup(
  deps: GroupBuyDeps,
  req: { userId: string; groupId: string; shareId?: string | null; couponId?: string | null; idempotency: Idempotency },
): Promise<Outcome<Group>> {
  assertCanSell(deps);
  const placed = await runOnce(deps, { userId: req.userId, ...req.idempotency, statusCode: 200 }, async (tx): Promise<Placement> => {
    const now = deps.clock.now();
    const group = await repo.lockGroup(tx, req.groupId);
    if (!group) throw new AppError('GROUP_NOT_FOUND', 'No such group buy');
    assertLive(await requireCampaign(tx, group.campaignId), now);
    const seat = await repo.findActiveSeat(tx, group.id, req.userId);
    const blocked = joinBlockedBy({ authenticated: true, campaignLive: true, group, alreadyMember: Boolean(seat), now });
    if (blocked) throw new AppError(blocked, JOIN_REFUSALS[blocked] ?? 'You cannot join this group buy now');
    const product = await requireProduct(tx, group.productId);
    const seated = await repo.takeSeat(tx, group.id);
    if (!seated) throw new AppError('GROUP_FULL', JOIN_REFUSALS.GROUP_FULL!);
    const order = await placeOrder(deps, tx, { product, group: seated, userId: req.userId, shareId: req.shareId ?? null, couponId: req.couponId ?? null, now });
    return { groupId: group.id, orderId: order.id };
  });
  return answer(deps, placed, req.userId);
}

/** What a group-buy card's landing shows: whether this viewer could join now, and if not why. */
export async function groupJoinBlockedBy(deps: { db: Executor; clock: Clock }, groupId: string, viewerId: string | null): Promise<GroupJoinBlocker | null> {
  const now = deps.clock.now();
  const group = await repo.findGroup(deps.db, groupId);
  if (!group) return 'GROUP_NOT_FOUND';
  const campaign = await requireCampaign(deps.db, group.campaignId);
  const seat = viewerId ? await repo.findActiveSeat(deps.db, group.id, viewerId) : undefined;
  return joinBlockedBy({
    authenticated: viewerId !== null,
    campaignLive: campaignStatus(campaign, now) === 'live',
    group,
    alreadyMember: Boolean(seat),
    now,
  });
}
