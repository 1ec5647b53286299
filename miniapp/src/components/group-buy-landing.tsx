import type { Group, ShareLanding } from '@jizan/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { useAction } from '../hooks/use-action';
import { GROUP_STATUS_TEXT, seatsMissing } from '../logic/groupbuy';
import { priceYuan } from '../logic/money';
import { pageUrl } from '../page-paths';
import { api } from '../services/client';
import { errorMessage, messageForCode } from '../services/error-message';
import { S } from '../strings';
import { Countdown } from './countdown';
import { GroupSeats } from './group-seats';
import { PriceTag, ProductImage } from './price-tag';
import { payForOrder } from '../logic/pay';
import { askSubscribe, prefetchSubscriptions } from '../logic/subscribe';

interface Props {
  token: string;
  landing: ShareLanding & { groupBuy: NonNullable<ShareLanding['groupBuy']> };
  /** Called after a join so the page reloads the landing. */
  onChanged: () => void;
}

/** A group-buy card's landing: the product, the group's seats and countdown, and the join at the group price. */
export function GroupBuyLanding({ token, landing, onChanged }: Props) {
  const { product } = landing.groupBuy;
  const [joined, setJoined] = useState<Group | null>(null);
  const [error, setError] = useState<string | null>(null);
  const group = joined ?? landing.groupBuy.group;
  const missing = seatsMissing(group);
  useEffect(() => void prefetchSubscriptions(), []);

  const join = useAction(async () => {
    setError(null);
    try {
      const seated = await api.joinGroupFromCard(token);
      // The seat is the friend's once paid: the pay sheet opens at once, as on the product page.
      const paid = seated.myOrder?.status === 'pending_payment' ? (await payForOrder(seated.myOrder)) === 'paid' : true;
      // The platform lets the subscribe sheet follow a payment's answer; the group's outcome is what it subscribes to.
      if (paid) askSubscribe('after_group');
      setJoined(seated);
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    }
  });

  const blocked = landing.viewer.joinBlockedBy;
  const mine = group.myOrder !== null;
  return (
    <View className='gb-landing'>
      <View className='card product-row' onClick={() => void Taro.navigateTo({ url: pageUrl.product(product.id) })}>
        <ProductImage product={product} />
        <View className='product-row__main'>
          <Text className='gb-landing__headline'>{S.groupbuy.cardHeadline(landing.sharer.nickname, product.title)}</Text>
          <PriceTag product={product} />
        </View>
      </View>

      <View className='card gb-landing__group'>
        <View className='group-head'>
          <Text className={`group-status group-status--${group.status}`}>{GROUP_STATUS_TEXT[group.status]}</Text>
          {group.status === 'open' ? <Countdown expiresAt={group.expiresAt} /> : null}
        </View>
        {missing > 0 ? <Text className='missing'>{S.groupbuy.seatsMissing(missing)}</Text> : null}
        {group.status === 'succeeded' ? <Text className='group-line'>{S.groupbuy.succeededLine}</Text> : null}
        {group.status === 'failed' ? <Text className='group-line'>{S.groupbuy.failedLine}</Text> : null}
        <GroupSeats group={group} />

        {joined ? <Text className='gb-landing__done'>{S.groupbuy.joinedFromCard}</Text> : null}
        {!joined && landing.viewer.canJoin ? (
          <Button className='btn btn--primary btn--block gb-landing__join' onClick={() => void join.run()} disabled={join.busy || undefined}>
            {join.busy ? S.groupbuy.joining : S.groupbuy.joinFromCard(priceYuan(product.groupPrice))}
          </Button>
        ) : null}
        {!joined && blocked && blocked !== 'ALREADY_IN_GROUP' ? <Text className='notice'>{messageForCode(blocked)}</Text> : null}
        {mine ? (
          <Button className='btn btn--ghost btn--block gb-landing__join' onClick={() => void Taro.navigateTo({ url: pageUrl.group(group.id) })}>
            {S.groupbuy.viewMyGroup}
          </Button>
        ) : null}
        {error ? <Text className='notice'>{error}</Text> : null}
      </View>
    </View>
  );
}
