import type { Coupon } from '@jizan/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { couponsForList } from '../../../logic/coupons';
import { formatDateTime } from '../../../logic/format';
import { priceYuan } from '../../../logic/money';
import { couponTerms } from '../../../logic/red-packets';
import { pageUrl } from '../../../page-paths';
import { RP } from '../../../strings';

/** My 拼团券 of the campaign: usable ones first with where to use them, then used and expired. */
export function MyCoupons({ campaignId, coupons }: { campaignId: string; coupons: Coupon[] }) {
  return (
    <View className='card coupons'>
      <Text className='card__title'>{RP.coupon.mineTitle}</Text>
      {coupons.length === 0 ? <Text className='card__sub'>{RP.coupon.mineEmpty}</Text> : null}
      {couponsForList(coupons).map((c) => (
        <View className={`coupon coupon--${c.status}`} key={c.id}>
          <View className='coupon__value'>
            <Text className='coupon__amount'>{priceYuan(c.amountOff)}</Text>
            <Text className='coupon__unit'>{RP.coupon.unit}</Text>
          </View>
          <View className='coupon__main'>
            <Text className='coupon__terms'>{couponTerms(c.minSpend)}</Text>
            <Text className='coupon__when'>
              {c.status === 'available' ? RP.coupon.validUntil(formatDateTime(c.expiresAt)) : RP.coupon.status[c.status]}
            </Text>
          </View>
          {c.status === 'available' ? (
            <Button className='coupon__use' size='mini' onClick={() => void Taro.navigateTo({ url: pageUrl.products(campaignId) })}>
              {RP.coupon.use}
            </Button>
          ) : null}
        </View>
      ))}
    </View>
  );
}
