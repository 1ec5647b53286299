import type { NotificationKind } from '@jizan/shared';

/** What a message says, filled in from its facts (the same facts fill the platform template's fields). */
export type Facts = Record<string, string | number>;

/** The inbox's headline and line of a message, in Chinese. */
export function messageText(kind: NotificationKind, f: Facts): { title: string; body: string } {
  switch (kind) {
    case 'group_succeeded':
      return { title: '拼团成功', body: `${f.product ?? '你的拼团'}已成团，商品即将发货` };
    case 'group_failed':
      return { title: '拼团未成功，已退款', body: `${f.product ?? '你的拼团'}未在时限内成团，${f.refund ? `${f.refund}` : '款项'}将原路退回` };
    case 'group_reminder':
      return { title: `还差 ${f.missing} 人成团`, body: `${f.product}还差 ${f.missing} 人，${f.minutesLeft} 分钟后结束，快邀请好友` };
    case 'reward_ready':
      return { title: '红包可以领取了', body: `${f.campaign}的 ${f.amount} 红包已可领取` };
    case 'transfer_confirm':
      return { title: '请确认收款', body: `${f.campaign}的 ${f.amount} 红包已发出，请在 ${f.deadline} 前确认收款` };
    case 'friend_liked':
      return Number(f.likes) > 1
        ? { title: `${f.friend} 等 ${f.likes} 位好友为你点赞`, body: `在「${f.campaign}」里又收到 ${f.likes} 个赞` }
        : { title: `${f.friend} 为你点赞`, body: `在「${f.campaign}」里收到 1 个赞` };
    case 'campaign_again':
      return { title: '活动又开始了', body: `「${f.campaign}」${f.startsAt} 开始，快来参加` };
  }
}

const HOLE = /\{([A-Za-z]+)\}/g;

/** A configured text's `{fact}` holes filled; a fact the message lacks leaves nothing. */
export function fillHoles(text: string, facts: Facts): string {
  return text.replace(HOLE, (_, h: string) => String(facts[h] ?? ''));
}

/** Fen as the platform's amount fields show money: `59.00元`. */
export function yuan(fen: number): string {
  return `${(fen / 100).toFixed(2)}元`;
}

/**
 * A moment as the platform's time fields take it (`2026-12-07 15:04`), in China time: the
 * template is read on a phone in China, whatever zone the server runs in.
 */
export function chinaTime(at: Date): string {
  const t = new Date(at.getTime() + 8 * 3600_000).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 16)}`;
}

/**
 * When a group's members hear 还差 N 人: `leadMs` before its end, but never before half its
 * window has passed, so a short group (the demo's) is not reminded the moment it opens.
 */
export function reminderDueAt(openedAt: Date, expiresAt: Date, leadMs: number): Date {
  const half = openedAt.getTime() + (expiresAt.getTime() - openedAt.getTime()) / 2;
  return new Date(Math.max(expiresAt.getTime() - leadMs, half));
}

/** Whole minutes left, rounded up (a reminder never says 0 分钟 while the group is still open). */
export function minutesLeft(now: Date, expiresAt: Date): number {
  return Math.max(1, Math.ceil((expiresAt.getTime() - now.getTime()) / 60_000));
}

/** The like batch a moment falls in: windows of `windowMs` from the epoch, so every instance agrees. */
export function batchWindowEnd(at: Date, windowMs: number): Date {
  return new Date(Math.floor(at.getTime() / windowMs) * windowMs);
}

/** Waits between sends of one message: 30 s, 1 min, 2 min… at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(3600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * What a send's failure means for the message. `retry`: the platform unreachable, an HTTP error
 * page or its busy answers (-1, 45009, 45011): later may work. `refused`: the platform's own
 * answer that this message will never go (43101 the user has no subscription left, 40003 a bad
 * openid, 40037 / 47003 / 41030 the template, its data or its page): retrying only repeats it.
 * `keepsCredit`: the refusal is about our template, not the user's subscription, which the
 * platform did not use up (any other refusal means the platform holds none: ours is spent).
 */
export function sendFailure(e: { kind: 'unreachable' } | { kind: 'api'; errcode: number; busy: boolean }): {
  outcome: 'retry' | 'refused';
  keepsCredit: boolean;
} {
  if (e.kind === 'unreachable' || e.busy) return { outcome: 'retry', keepsCredit: true };
  return { outcome: 'refused', keepsCredit: OUR_TEMPLATE_FAULTS.has(e.errcode) };
}

const OUR_TEMPLATE_FAULTS = new Set([40037, 47003, 41030]);
