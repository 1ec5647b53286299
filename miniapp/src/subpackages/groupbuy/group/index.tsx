import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect } from 'react';
import { Countdown } from '../../../components/countdown';
import { GroupSeats } from '../../../components/group-seats';
import { PageShell } from '../../../components/page-shell';
import { PriceTag, ProductImage } from '../../../components/price-tag';
import { ShareButton } from '../../../components/share-button';
import { ErrorState, Loading } from '../../../components/state-view';
import { h5ShareLink, useShareCard } from '../../../hooks/use-share-card';
import { usePageRefresh } from '../../../hooks/use-page-refresh';
import { useResource } from '../../../hooks/use-resource';
import { GROUP_STATUS_TEXT, ORDER_STATUS_TEXT, seatsMissing } from '../../../logic/groupbuy';
import { priceYuan } from '../../../logic/money';
import { payForOrder } from '../../../logic/pay';
import { formatDateTime } from '../../../logic/format';
import { pageUrl } from '../../../page-paths';
import { isH5 } from '../../../platform';
import { api } from '../../../services/client';
import { UNKNOWN_FAILURE, errorMessage } from '../../../services/error-message';
import { S } from '../../../strings';
import './index.scss';

/** While a group is filling, friends join from elsewhere: look again this often. */
const POLL_MS = 5000;

export default function GroupPage() {
  const id = useRouter().params.id ?? '';
  const group = useResource(id ? () => api.group(id) : null, id);
  const g = group.data;
  const product = useResource(g ? () => api.product(g.productId) : null, g?.productId ?? '');
  const me = useResource(() => api.me(), 'me');
  const isMember = !!(g && me.data && g.members.some((m) => m.id === me.data!.id));
  const inviting = isMember && g?.status === 'open';
  const share = useShareCard(inviting ? g!.campaignId : null, ['groupbuy'], inviting ? g!.id : null);

  usePageRefresh(() => Promise.all([group.reload(), product.reload()]));
  const filling = g?.status === 'open' || g?.status === 'pending';
  useEffect(() => {
    if (!filling) return;
    const timer = setInterval(() => void group.reload(), POLL_MS);
    return () => clearInterval(timer);
  }, [filling, group.reload]);

  const inviteFromSlot = async () => {
    try {
      const card = await share.get('groupbuy');
      const url = h5ShareLink(card.path);
      Taro.setClipboardData({ data: url }).catch(() => undefined);
      void Taro.showToast({ title: S.common.copied, icon: 'none' });
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' });
    }
  };

  const body = () => {
    if (!id) return <ErrorState failure={UNKNOWN_FAILURE} />;
    if (group.loading) return <Loading />;
    if (!g) return <ErrorState failure={group.error ?? UNKNOWN_FAILURE} onRetry={group.reload} />;
    const p = product.data;
    const missing = seatsMissing(g);
    return (
      <View>
        <View className={`group__banner group__banner--${g.status}`}>
          <Text className='group__status'>{GROUP_STATUS_TEXT[g.status]}</Text>
          {missing > 0 ? <Text className='group__missing'>{S.groupbuy.seatsMissing(missing)}</Text> : null}
          {g.status === 'succeeded' ? <Text className='group__line'>{S.groupbuy.succeededLine}</Text> : null}
          {g.status === 'failed' ? <Text className='group__line'>{S.groupbuy.failedLine}</Text> : null}
          {filling ? <Countdown expiresAt={g.expiresAt} className='group__countdown' /> : null}
        </View>

        <View className='card'>
          <GroupSeats group={g} {...(inviting ? (isH5() ? { onInvite: () => void inviteFromSlot() } : { nativeShare: true }) : {})} />
          {inviting ? <ShareButton kind='groupbuy' label={S.groupbuy.shareGroup} me={me.data} card={() => share.get('groupbuy')} /> : null}
        </View>

        {p ? (
          <View className='card product-row' onClick={() => void Taro.navigateTo({ url: pageUrl.product(p.id) })}>
            <ProductImage product={p} />
            <View className='product-row__main'>
              <Text className='product-row__title'>{p.title}</Text>
              <PriceTag product={p} />
            </View>
          </View>
        ) : null}

        {g.myOrder ? (
          <View className='card'>
            <Text className='card__title'>{S.groupbuy.myOrder}</Text>
            <Text className='card__sub'>
              {ORDER_STATUS_TEXT[g.myOrder.status]} · {(g.myOrder.status === 'pending_payment' ? S.groupbuy.amountDue : S.groupbuy.orderAmount)(priceYuan(g.myOrder.amount))}
            </Text>
            {g.myOrder.couponDiscount ? (
              <Text className='card__sub group__coupon'>{S.groupbuy.couponUsed(priceYuan(g.myOrder.couponDiscount))}</Text>
            ) : null}
            {g.myOrder.status === 'pending_payment' && new Date(g.myOrder.payDeadline) > new Date() ? (
              <Button className='btn btn--primary btn--block group__pay' onClick={() => void payForOrder(g.myOrder!).then(() => group.reload())}>
                {S.groupbuy.payNow} · {S.groupbuy.payBy(formatDateTime(g.myOrder.payDeadline))}
              </Button>
            ) : null}
          </View>
        ) : null}

        <View className='link-row'>
          <Button className='btn btn--ghost' onClick={() => void Taro.navigateTo({ url: pageUrl.orders() })}>
            {S.groupbuy.myOrders}
          </Button>
          <Button className='btn btn--ghost' onClick={() => void Taro.navigateTo({ url: pageUrl.products(g.campaignId) })}>
            {S.groupbuy.backToProducts}
          </Button>
        </View>
      </View>
    );
  };

  return (
    <PageShell name='group'>
      {body()}
    </PageShell>
  );
}
