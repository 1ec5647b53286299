import type { LedgerEntry } from '@jizan/shared';
import { Button, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { Avatar } from '../../components/avatar';
import { ListPage, useListPageEvents } from '../../components/list-page';
import { EmptyState, goHome } from '../../components/state-view';
import { useCampaignId } from '../../hooks/use-campaign-id';
import { useCursorList } from '../../hooks/use-cursor-list';
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
  useListPageEvents(list, () => Promise.all([campaign.reload(), list.refresh()]));

  return (
    <ListPage
      name='ledger'
      campaign={campaign}
      list={list}
      layout='rows'
      head={
        <View className='hero'>
          <Text className='hero__sub'>{S.ledger.balance}</Text>
          <Text className='hero__title ledger__balance'>{balance ?? '—'}</Text>
        </View>
      }
      empty={
        <EmptyState text={S.ledger.empty} icon='⚡'>
          {/* The share buttons live on home, with the profile prompt they may need first. */}
          <Button className='btn btn--primary state__action' onClick={goHome}>
            {S.ledger.invite}
          </Button>
        </EmptyState>
      }
      item={(e) => {
        const who = e.from?.nickname ?? S.ledger.someone;
        return (
          <View className='ledger__row' key={e.id}>
            <Avatar url={e.from?.avatarUrl ?? null} name={who} size='sm' />
            <View className='ledger__main'>
              <Text className='ledger__what'>{e.reason === 'new_liker_like' ? S.ledger.newLikerLike(who) : S.ledger.like(who)}</Text>
              <Text className='ledger__when'>{formatDateTime(e.createdAt)}</Text>
            </View>
            <Text className='ledger__amount'>{S.ledger.amount(e.amount)}</Text>
          </View>
        );
      }}
    />
  );
}
