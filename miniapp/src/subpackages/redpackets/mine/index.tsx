import type { RedPacket } from '@jizan/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { ListPage, useListPageEvents } from '../../../components/list-page';
import { EmptyState } from '../../../components/state-view';
import { useCampaignId } from '../../../hooks/use-campaign-id';
import { useCursorList } from '../../../hooks/use-cursor-list';
import { useResource } from '../../../hooks/use-resource';
import { formatDateTime } from '../../../logic/format';
import { packetYuan } from '../../../logic/money';
import { confirmTransfer } from '../../../logic/transfer';
import { api } from '../../../services/client';
import { RP } from '../../../strings';
import { MyCoupons } from './coupons';
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
  const coupons = useResource(id ? () => api.myCoupons(id) : null, id ?? '');
  useListPageEvents(list, () => Promise.all([campaign.reload(), list.refresh(), coupons.reload()]));
  const [confirming, setConfirming] = useState<string | null>(null);
  const confirm = async (p: RedPacket) => {
    setConfirming(p.id);
    const outcome = await confirmTransfer(p.id);
    setConfirming(null);
    if (outcome === 'failed') void Taro.showToast({ title: RP.mine.confirmFailed, icon: 'none' });
    await list.refresh();
  };

  return (
    <ListPage
      name='mine'
      campaign={campaign}
      list={list}
      layout='rows'
      head={
        <>
          <View className='hero mine__hero'>
            <Text className='hero__sub'>{RP.mine.total}</Text>
            <Text className='hero__title mine__total'>{total === null ? '—' : packetYuan(total)}</Text>
          </View>
          {/* Only when the campaign issued me any: a cash-only campaign's page stays as it was. */}
          {id && coupons.data && coupons.data.coupons.length > 0 ? <MyCoupons campaignId={id} coupons={coupons.data.coupons} /> : null}
        </>
      }
      empty={<EmptyState text={RP.mine.empty} />}
      item={(p) => (
        <View className='mine__row' key={p.id}>
          <View className='mine__icon'>
            <Text className='mine__icon-text'>{p.kind === 'pool' ? '瓜' : p.tier}</Text>
          </View>
          <View className='mine__main'>
            <Text className='mine__what'>{p.kind === 'pool' ? RP.mine.pool : RP.mine.tier(p.tier ?? 0)}</Text>
            <Text className='mine__when'>{formatDateTime(p.createdAt)}</Text>
            {(p.delivery === 'held' || p.delivery === 'review') && p.holdUntil ? (
              <Text className='mine__hold'>{RP.mine.heldUntil(formatDateTime(p.holdUntil))}</Text>
            ) : null}
          </View>
          <View className='mine__right'>
            <Text className='mine__amount'>{`${packetYuan(p.amount)} ${RP.yuanUnit}`}</Text>
            <Text className={`mine__delivery mine__delivery--${p.delivery}`}>{RP.mine.delivery[p.delivery]}</Text>
            {p.delivery === 'wait_user_confirm' ? (
              <Button className='mine__confirm' size='mini' loading={confirming === p.id} disabled={confirming !== null} onClick={() => void confirm(p)}>
                {RP.mine.confirm}
              </Button>
            ) : null}
          </View>
        </View>
      )}
    />
  );
}
