import type { Group } from '@jizan/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { Avatar } from '../../../components/avatar';
import { Countdown } from '../../../components/countdown';
import { PageShell } from '../../../components/page-shell';
import { PriceTag, ProductImage } from '../../../components/price-tag';
import { EmptyState, ErrorState, Loading } from '../../../components/state-view';
import { useAction } from '../../../hooks/use-action';
import { usePageRefresh } from '../../../hooks/use-page-refresh';
import { useResource } from '../../../hooks/use-resource';
import { bestCoupon, priceWith, type UsableCoupon } from '../../../logic/coupons';
import { formatDateTime } from '../../../logic/format';
import { priceYuan } from '../../../logic/money';
import { payForOrder } from '../../../logic/pay';
import { pageUrl } from '../../../page-paths';
import { api } from '../../../services/client';
import { UNKNOWN_FAILURE, errorMessage } from '../../../services/error-message';
import { RP, S } from '../../../strings';
import { askSubscribe, prefetchSubscriptions } from '../../../logic/subscribe';
import './index.scss';

/** The coupon checkout will redeem, and its discount; a tap offers the others and "none". */
function CouponRow({ coupons, chosen, onChoose }: { coupons: UsableCoupon[]; chosen: UsableCoupon | null; onChoose: (id: string | null) => void }) {
  // The platform's action sheet takes at most six lines: five coupons and "none".
  const offered = coupons.slice(0, 5);
  const pick = async () => {
    try {
      const { tapIndex } = await Taro.showActionSheet({
        itemList: [
          ...offered.map((c) => RP.coupon.checkoutOption(priceYuan(c.discount!), RP.coupon.validUntil(formatDateTime(c.expiresAt)))),
          RP.coupon.checkoutNone,
        ],
      });
      onChoose(offered[tapIndex]?.id ?? null);
    } catch {
      // The sheet was dismissed: the choice stands.
    }
  };
  return (
    <View className='product__coupon' onClick={() => void pick()}>
      <Text className='product__coupon-title'>{RP.coupon.checkoutTitle}</Text>
      <Text className={`product__coupon-value${chosen ? '' : ' product__coupon-value--none'}`}>
        {chosen ? RP.coupon.checkoutOff(priceYuan(chosen.discount!)) : RP.coupon.checkoutNone}
      </Text>
      <Text className='product__coupon-more'>›</Text>
    </View>
  );
}

export default function ProductPage() {
  const id = useRouter().params.id ?? '';
  const product = useResource(id ? () => api.product(id) : null, id);
  useEffect(() => void prefetchSubscriptions(), []);
  const campaignId = product.data?.campaignId ?? null;
  const coupons = useResource(campaignId ? () => api.myCoupons(campaignId, id) : null, campaignId ? `${campaignId}:${id}` : '');
  // undefined: the best usable coupon (what checkout picks unless told); null: the buyer chose none.
  const [choice, setChoice] = useState<string | null | undefined>(undefined);
  const usable = coupons.data?.coupons.filter((c) => c.discount) ?? [];
  const coupon = choice === undefined ? bestCoupon(usable) : (usable.find((c) => c.id === choice) ?? null);
  usePageRefresh(() => Promise.all([product.reload(), coupons.reload()]));

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
    } finally {
      // A coupon spent on the order (or refused as used elsewhere) is no longer on offer.
      void coupons.reload();
    }
  };
  const open = useAction(() => goToGroup(() => api.openGroup(id, coupon?.id)));
  const join = useAction((groupId: string) => goToGroup(() => api.joinGroup(groupId, coupon?.id)));

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
          {usable.length > 0 ? <CouponRow coupons={usable} chosen={coupon} onChoose={setChoice} /> : null}
          <Button
            className='btn btn--primary btn--block product__open'
            onClick={() => void open.run()}
            disabled={open.busy || p.stock === 0 || undefined}
          >
            {open.busy ? S.groupbuy.opening : `${S.groupbuy.openGroup} ¥${priceYuan(priceWith(p.groupPrice, coupon))}`}
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
