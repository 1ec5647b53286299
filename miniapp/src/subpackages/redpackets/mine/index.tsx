import type { RedPacket } from '@jizan/shared';
import { Text, View } from '@tarojs/components';
import { useReachBottom } from '@tarojs/taro';
import { useState } from 'react';
import { H5Bar } from '../../../components/h5-bar';
import { ListFoot } from '../../../components/list-foot';
import { EmptyState, ErrorState, Loading } from '../../../components/state-view';
import { useCampaignId } from '../../../hooks/use-campaign-id';
import { useCursorList } from '../../../hooks/use-cursor-list';
import { usePageRefresh } from '../../../hooks/use-page-refresh';
import { formatDateTime } from '../../../logic/format';
import { packetYuan } from '../../../logic/money';
import { api } from '../../../services/client';
import { RP } from '../../../strings';
import './index.scss';

/** My red packets in this campaign, tier claims and pool shares, newest first, with where the money is. */
export default function MyRedPacketsPage() {
  const campaign = useCampaignId();
  const id = campaign.id;
  const [total, setTotal] = useState<number | null>(null);
  const list = useCursorList<RedPacket>(
    id
      ? async (cursor) => {
          const page = await api.myRedPackets(id, cursor);
          setTotal(page.total);
          return { items: page.redPackets, nextCursor: page.nextCursor };
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
    if (list.items.length === 0) return <EmptyState text={RP.mine.empty} />;
    return (
      <View className='card'>
        {list.items.map((p) => (
          <View className='mine__row' key={p.id}>
            <View className='mine__icon'>
              <Text className='mine__icon-text'>{p.kind === 'pool' ? '瓜' : p.tier}</Text>
            </View>
            <View className='mine__main'>
              <Text className='mine__what'>{p.kind === 'pool' ? RP.mine.pool : RP.mine.tier(p.tier ?? 0)}</Text>
              <Text className='mine__when'>{formatDateTime(p.createdAt)}</Text>
            </View>
            <View className='mine__right'>
              <Text className='mine__amount'>{`${packetYuan(p.amount)} ${RP.yuanUnit}`}</Text>
              <Text className={`mine__delivery mine__delivery--${p.delivery}`}>{RP.mine.delivery[p.delivery]}</Text>
            </View>
          </View>
        ))}
        <ListFoot list={list} />
      </View>
    );
  };

  return (
    <View className='page mine'>
      <H5Bar back />
      <View className='hero mine__hero'>
        <Text className='hero__sub'>{RP.mine.total}</Text>
        <Text className='hero__title mine__total'>{total === null ? '—' : packetYuan(total)}</Text>
      </View>
      {body()}
    </View>
  );
}
