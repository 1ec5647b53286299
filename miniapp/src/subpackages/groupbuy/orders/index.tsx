import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { H5Bar } from '../../../components/h5-bar';
import { EmptyState, ErrorState, Loading } from '../../../components/state-view';
import { usePageRefresh } from '../../../hooks/use-page-refresh';
import { useResource } from '../../../hooks/use-resource';
import { formatDateTime } from '../../../logic/format';
import { ORDER_STATUS_TEXT } from '../../../logic/groupbuy';
import { priceYuan } from '../../../logic/money';
import { pageUrl } from '../../../page-paths';
import { api } from '../../../services/client';
import { UNKNOWN_FAILURE } from '../../../services/error-message';
import { S } from '../../../strings';
import './index.scss';

export default function OrdersPage() {
  const orders = useResource(() => api.myOrders(), 'orders');
  usePageRefresh(() => orders.reload());

  const body = () => {
    if (orders.loading) return <Loading />;
    if (!orders.data) return <ErrorState failure={orders.error ?? UNKNOWN_FAILURE} onRetry={orders.reload} />;
    if (orders.data.orders.length === 0) return <EmptyState text={S.groupbuy.noOrders} />;
    return orders.data.orders.map((o) => (
      <View className='card orders__item' key={o.id} onClick={() => void Taro.navigateTo({ url: pageUrl.group(o.groupId) })}>
        <View className='orders__head'>
          <Text className='orders__title'>{o.productTitle}</Text>
          <Text className={`orders__status orders__status--${o.status}`}>{ORDER_STATUS_TEXT[o.status]}</Text>
        </View>
        <Text className='card__sub'>
          {S.groupbuy.orderAmount(priceYuan(o.amount))}
          {o.refundedAmount > 0 ? ` · ${S.groupbuy.refunded(priceYuan(o.refundedAmount))}` : ''} · {formatDateTime(o.createdAt)}
        </Text>
        {o.status === 'pending_payment' ? <Text className='card__sub'>{S.groupbuy.payBy(formatDateTime(o.payDeadline))}</Text> : null}
        {o.refund?.status === 'stuck' ? <Text className='notice'>{S.groupbuy.refundStuck}</Text> : null}
        <Text className='orders__link'>{S.groupbuy.viewGroup}</Text>
      </View>
    ));
  };

  return (
    <View className='page orders'>
      <H5Bar back />
      {body()}
    </View>
  );
}
