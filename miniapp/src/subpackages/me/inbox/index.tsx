import type { Notification } from '@jizan/shared';
import { Text, View } from '@tarojs/components';
import { useEffect, useRef, useState } from 'react';
import { ListPage, useListPageEvents } from '../../../components/list-page';
import { EmptyState } from '../../../components/state-view';
import { useResourceList } from '../../../hooks/use-resource';
import { formatDateTime } from '../../../logic/format';
import { KIND_ICON, notificationUrl, unreadIds } from '../../../logic/inbox';
import { navigate } from '../../../logic/navigate';
import { api } from '../../../services/client';
import { S } from '../../../strings';
import './index.scss';

/**
 * My inbox: every message the server produced for me, sent as a subscribe message or not (where
 * no credit was left it lives only here). Opening it reads what it shows: the dots stay for this
 * visit so the new ones can still be told apart, and home's badge clears when the user goes back.
 */
export default function InboxPage() {
  const list = useResourceList(() => api.myNotifications(), 'inbox', (r) => r.notifications);
  useListPageEvents(list, list.refresh);
  const [seen, setSeen] = useState<ReadonlySet<string>>(new Set());
  const marking = useRef(false);

  useEffect(() => {
    const ids = unreadIds(list.items).filter((id) => !seen.has(id));
    if (ids.length === 0 || marking.current) return;
    marking.current = true;
    // A failed mark leaves them unread for next time; nothing to tell the user.
    api
      .readNotifications({ ids })
      .then(() => setSeen((prev) => new Set([...prev, ...ids])))
      .catch(() => undefined)
      .finally(() => {
        marking.current = false;
      });
  }, [list.items, seen]);

  const open = (n: Notification) => {
    const url = notificationUrl(n.page);
    if (url) navigate(url);
  };

  return (
    <ListPage
      name='inbox'
      list={list}
      layout='rows'
      empty={<EmptyState text={S.inbox.empty} icon='📭' />}
      item={(n) => (
        <View className={`inbox__row${n.readAt === null ? ' inbox__row--unread' : ''}`} key={n.id} onClick={() => open(n)}>
          <View className='inbox__icon'>
            <Text>{KIND_ICON[n.kind]}</Text>
          </View>
          <View className='inbox__main'>
            <View className='inbox__head'>
              <Text className='inbox__title'>{n.title}</Text>
              <Text className='inbox__time'>{formatDateTime(n.createdAt)}</Text>
            </View>
            <Text className='inbox__body'>{n.body}</Text>
          </View>
          {n.readAt === null ? <View className='inbox__dot' aria-label='unread' /> : null}
        </View>
      )}
    />
  );
}
