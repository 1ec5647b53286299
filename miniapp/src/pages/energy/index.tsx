import type { LedgerEntry } from '@jizan/shared';
import { Button, Text, View } from '@tarojs/components';
import { useReachBottom } from '@tarojs/taro';
import { useState } from 'react';
import { Avatar } from '../../components/avatar';
import { H5Bar } from '../../components/h5-bar';
import { ListFoot } from '../../components/list-foot';
import { EmptyState, ErrorState, goHome, Loading } from '../../components/state-view';
import { useCampaignId } from '../../hooks/use-campaign-id';
import { useCursorList } from '../../hooks/use-cursor-list';
import { usePageRefresh } from '../../hooks/use-page-refresh';
import { formatDateTime } from '../../logic/format';
import { api } from '../../services/client';
import { S } from '../../strings';
import './index.scss';

export default function EnergyPage() {
  const campaign = useCampaignId();
  const id = campaign.id;
  const [balance, setBalance] = useState<number | null>(null);
  const list = useCursorList<LedgerEntry>(
    id
      ? async (cursor) => {
          const page = await api.ledger(id, cursor);
          setBalance(page.balance);
          return { items: page.entries, nextCursor: page.nextCursor };
        }
      : null,
    id ?? '',
  );

  usePageRefresh(() => Promise.all([campaign.reload(), list.refresh()]));
  useReachBottom(() => void list.loadMore());

  const body = () => {
    if (campaign.error) return <ErrorState failure={campaign.error} onRetry={campaign.reload} />;
    if (list.loading || !id) return <Loading />;
    if (list.error && list.items.length === 0) return <ErrorState failure={list.error} onRetry={list.refresh} />;
    if (list.items.length === 0) {
      return (
        <EmptyState text={S.ledger.empty} icon='⚡'>
          {/* The share buttons live on home, with the profile prompt they may need first. */}
          <Button className='btn btn--primary state__action' onClick={goHome}>
            {S.ledger.invite}
          </Button>
        </EmptyState>
      );
    }
    return (
      <View className='card'>
        {list.items.map((e) => {
          const who = e.from?.nickname ?? S.ledger.someone;
          return (
            <View className='ledger__row' key={e.id}>
              <Avatar url={e.from?.avatarUrl ?? null} name={who} size='sm' />
              <View className='ledger__main'>
                <Text className='ledger__what'>
                  {e.reason === 'new_liker_like' ? S.ledger.newLikerLike(who) : S.ledger.like(who)}
                </Text>
                <Text className='ledger__when'>{formatDateTime(e.createdAt)}</Text>
              </View>
              <Text className='ledger__amount'>{S.ledger.amount(e.amount)}</Text>
            </View>
          );
        })}
        <ListFoot list={list} />
      </View>
    );
  };

  return (
    <View className='page ledger'>
      <H5Bar back />
      <View className='hero'>
        <Text className='hero__sub'>{S.ledger.balance}</Text>
        <Text className='hero__title ledger__balance'>{balance ?? '—'}</Text>
      </View>
      {body()}
    </View>
  );
}
