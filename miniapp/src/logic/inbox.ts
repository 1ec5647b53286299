import type { Notification, NotificationKind } from '@jizan/shared';

/** One glyph per kind, so a glance down the list tells a group's news from a like's. */
export const KIND_ICON: Record<NotificationKind, string> = {
  group_succeeded: '🎉',
  group_failed: '↩',
  group_reminder: '⏰',
  reward_ready: '🧧',
  transfer_confirm: '💰',
  friend_liked: '👍',
  campaign_again: '📣',
};

/** The unread ones among those shown: what opening the inbox marks read. */
export function unreadIds(list: readonly Pick<Notification, 'id' | 'readAt'>[]): string[] {
  return list.filter((n) => n.readAt === null).map((n) => n.id);
}

/** A message's page as navigateTo takes it (absolute), or null when it opens nothing. */
export function notificationUrl(page: string | null): string | null {
  if (!page) return null;
  return page.startsWith('/') ? page : `/${page}`;
}
