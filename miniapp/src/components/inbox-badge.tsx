import { Text, View } from '@tarojs/components';
import { navigate } from '../logic/navigate';
import { pageUrl } from '../page-paths';
import { S } from '../strings';

/**
 * Home's way into the inbox, with the unread count as a red badge. The app has no tab bar (so no
 * setTabBarBadge): the badge sits on home's header, where both the chat app and the H5 preview show it.
 */
export function InboxBadge({ unread }: { unread: number }) {
  return (
    <View
      className='inbox-badge'
      onClick={() => navigate(pageUrl.inbox())}
      aria-label={unread > 0 ? S.inbox.unreadLabel(unread) : S.inbox.entry}
    >
      <Text className='inbox-badge__icon'>🔔</Text>
      <Text className='inbox-badge__text'>{S.inbox.entry}</Text>
      {unread > 0 ? <Text className='inbox-badge__count'>{S.inbox.unread(unread)}</Text> : null}
    </View>
  );
}
