import type { MyOrdersResponse } from '@jizan/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ListPage, useListPageEvents } from '../../../components/list-page';
import { EmptyState } from '../../../components/state-view';
import { useResourceList } from '../../../hooks/use-resource';
import { formatDateTime } from '../../../logic/format';
import { ORDER_STATUS_TEXT } from '../../../logic/groupbuy';
import { priceYuan } from '../../../logic/money';
import { payForOrder } from '../../../logic/pay';
import { pageUrl } from '../../../page-paths';
import { api } from '../../../services/client';
import { S } from '../../../strings';
import './index.scss';

export default function OrdersPage() {
  const orders = useResourceList(() => api.myOrders(), 'orders', (d: MyOrdersResponse) => d.orders);
  useListPageEvents(orders, () => orders.refresh());

  return (
    <ListPage
      name='orders'
      list={orders}
      layout='cards'
      empty={<EmptyState text={S.groupbuy.noOrders} />}
      item={(o) => (
        <View className='card orders__item' key={o.id} onClick={() => void Taro.navigateTo({ url: pageUrl.group(o.groupId) })}>
          <View className='orders__head'>
            <Text className='orders__title'>{o.productTitle}</Text>
            <Text className={`orders__status orders__status--${o.status}`}>{ORDER_STATUS_TEXT[o.status]}</Text>
          </View>
          <Text className='card__sub'>
            {(o.status === 'pending_payment' ? S.groupbuy.amountDue : S.groupbuy.orderAmount)(priceYuan(o.amount))}
            {o.refundedAmount > 0 ? ` · ${S.groupbuy.refunded(priceYuan(o.refundedAmount))}` : ''} · {formatDateTime(o.createdAt)}
          </Text>
          {o.status === 'pending_payment' ? <Text className='card__sub'>{S.groupbuy.payBy(formatDateTime(o.payDeadline))}</Text> : null}
          {o.status === 'pending_payment' && new Date(o.payDeadline) > new Date() ? (
            <Button
              className='btn btn--primary orders__pay'
              onClick={(e) => {
                e.stopPropagation();
                void payForOrder(o).then(() => orders.refresh());
              }}
            >
              {S.groupbuy.payNow}
            </Button>
          ) : null}
          {o.refund?.status === 'stuck' ? <Text className='notice'>{S.groupbuy.refundStuck}</Text> : null}
          <Text className='orders__link'>{S.groupbuy.viewGroup}</Text>
        </View>
      )}
    />
  );
}
