import type { Group, GroupStatus, OrderStatus } from '@jizan/shared';
import { S } from '../strings';

const pad = (n: number) => String(n).padStart(2, '0');

/** Time left until `expiresAt` as `HH:MM:SS` (hours may exceed 24); null once it has passed. */
export function countdown(expiresAt: string, now: number): string | null {
  const left = Math.floor((new Date(expiresAt).getTime() - now) / 1000);
  if (!Number.isFinite(left) || left <= 0) return null;
  return `${pad(Math.floor(left / 3600))}:${pad(Math.floor((left % 3600) / 60))}:${pad(left % 60)}`;
}

/** What each order state means to a buyer, in their words. */
export const ORDER_STATUS_TEXT: Record<OrderStatus, string> = {
  pending_payment: '待付款',
  paid: '已付款，拼团中',
  grouped: '拼团成功，待发货',
  refunding: '退款中',
  refunded: '已退款',
  cancelled: '已取消',
};

export const GROUP_STATUS_TEXT: Record<GroupStatus, string> = {
  pending: S.groupbuy.statusPending,
  open: S.groupbuy.statusOpen,
  succeeded: S.groupbuy.statusSucceeded,
  failed: S.groupbuy.statusFailed,
};

export type Seat = { kind: 'member'; member: Group['members'][number] } | { kind: 'empty' };

/** The group's seats in order: members first (opener first, as the server lists them), then the empty ones. */
export function seatsOf(group: Pick<Group, 'members' | 'groupSize'>): Seat[] {
  const taken: Seat[] = group.members.map((member) => ({ kind: 'member', member }));
  const empty = Math.max(0, group.groupSize - group.members.length);
  return [...taken, ...Array.from({ length: empty }, (): Seat => ({ kind: 'empty' }))];
}

/** Seats still to fill before the group succeeds; what "还差 N 人" counts. */
export function seatsMissing(group: Pick<Group, 'status' | 'members' | 'groupSize'>): number {
  if (group.status === 'succeeded' || group.status === 'failed') return 0;
  return Math.max(0, group.groupSize - group.members.length);
}
