import type { Group } from '@jizan/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect } from 'react';
import { Avatar } from '../../../components/avatar';
import { Countdown } from '../../../components/countdown';
import { PageShell } from '../../../components/page-shell';
import { PriceTag, ProductImage } from '../../../components/price-tag';
import { EmptyState, ErrorState, Loading } from '../../../components/state-view';
import { useAction } from '../../../hooks/use-action';
import { usePageRefresh } from '../../../hooks/use-page-refresh';
import { useResource } from '../../../hooks/use-resource';
import { priceYuan } from '../../../logic/money';
import { payForOrder } from '../../../logic/pay';
import { pageUrl } from '../../../page-paths';
import { api } from '../../../services/client';
import { UNKNOWN_FAILURE, errorMessage } from '../../../services/error-message';
import { S } from '../../../strings';
import { askSubscribe, prefetchSubscriptions } from '../../../logic/subscribe';
import './index.scss';

export default function ProductPage() {
  const id = useRouter().params.id ?? '';
  const product = useResource(id ? () => api.product(id) : null, id);
  useEffect(() => void prefetchSubscriptions(), []);
  usePageRefresh(() => product.reload());

  /** One tap, one order: placed, then the platform's pay sheet; a closed sheet leaves it payable from the group and the orders. */
  const goToGroup = async (place: () => Promise<Group>) => {
    try {
      const group = await place();
      const paid = group.myOrder?.status === 'pending_payment' ? (await payForOrder(group.myOrder)) === 'paid' : true;
      // The platform lets the subscribe sheet follow a payment's answer; the group's outcome is what it subscribes to.
      if (paid) askSubscribe('after_group');
      await Taro.navigateTo({ url: pageUrl.group(group.id) });
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' });
      void product.reload();
    }
  };
  const open = useAction(() => goToGroup(() => api.openGroup(id)));
  const join = useAction((groupId: string) => goToGroup(() => api.joinGroup(groupId)));

  const body = () => {
    if (!id) return <ErrorState failure={UNKNOWN_FAILURE} />;
    if (product.loading) return <Loading />;
    const p = product.data;
    if (!p) return <ErrorState failure={product.error ?? UNKNOWN_FAILURE} onRetry={product.reload} />;
    return (
      <View>
        <View className='product__image'>
          <ProductImage product={p} size='lg' />
        </View>
        <View className='card'>
          <Text className='product__title'>{p.title}</Text>
          <PriceTag product={p} />
          <Text className='card__sub'>{p.stock > 0 ? S.groupbuy.stockLeft(p.stock) : S.groupbuy.soldOut}</Text>
          <Button
            className='btn btn--primary btn--block product__open'
            onClick={() => void open.run()}
            disabled={open.busy || p.stock === 0 || undefined}
          >
            {open.busy ? S.groupbuy.opening : `${S.groupbuy.openGroup} ¥${priceYuan(p.groupPrice)}`}
          </Button>
        </View>
        <View className='card'>
          <Text className='card__title'>{S.groupbuy.openGroupsTitle}</Text>
          {p.openGroups.length === 0 ? <EmptyState text={S.groupbuy.noOpenGroups} /> : null}
          {p.openGroups.map((g) => (
            <View className='product__group' key={g.id}>
              <Avatar url={g.opener.avatarUrl} name={g.opener.nickname} />
              <View className='product__group-main'>
                <Text className='product__group-name'>{S.groupbuy.openerOf(g.opener.nickname)}</Text>
                <Text className='product__group-meta'>
                  <Text className='missing missing--inline'>{S.groupbuy.seatsMissing(g.seatsLeft)}</Text>
                  <Countdown expiresAt={g.expiresAt} className='product__group-countdown' />
                </Text>
              </View>
              <Button className='btn btn--primary product__join' onClick={() => void join.run(g.id)} disabled={join.busy || undefined}>
                {join.busy ? S.groupbuy.joining : S.groupbuy.joinThis}
              </Button>
            </View>
          ))}
        </View>
      </View>
    );
  };

  return (
    <PageShell name='product'>
      {body()}
    </PageShell>
  );
}
