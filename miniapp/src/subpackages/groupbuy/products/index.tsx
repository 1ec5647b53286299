import type { ProductListResponse } from '@jizan/shared';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ListPage, useListPageEvents } from '../../../components/list-page';
import { PriceTag, ProductImage } from '../../../components/price-tag';
import { EmptyState } from '../../../components/state-view';
import { useCampaignId } from '../../../hooks/use-campaign-id';
import { useResourceList } from '../../../hooks/use-resource';
import { pageUrl } from '../../../page-paths';
import { api } from '../../../services/client';
import { S } from '../../../strings';
import './index.scss';

export default function ProductsPage() {
  const campaign = useCampaignId();
  const list = useResourceList(campaign.id ? () => api.products(campaign.id!) : null, campaign.id ?? '', (d: ProductListResponse) => d.products);
  useListPageEvents(list, () => list.refresh());

  return (
    <ListPage
      name='products'
      campaign={campaign}
      list={list}
      layout='cards'
      head={
        <View className='products__bar'>
          <Text className='products__heading'>{S.groupbuy.productsTitle}</Text>
          <Text className='products__orders' onClick={() => void Taro.navigateTo({ url: pageUrl.orders() })}>
            {S.groupbuy.myOrders}
          </Text>
        </View>
      }
      empty={<EmptyState text={S.groupbuy.noProducts} />}
      item={(p) => (
        <View className='card product-row' key={p.id} onClick={() => void Taro.navigateTo({ url: pageUrl.product(p.id) })}>
          <ProductImage product={p} />
          <View className='product-row__main'>
            <Text className='product-row__title'>{p.title}</Text>
            <PriceTag product={p} />
            <Text className='card__sub'>{p.stock > 0 ? S.groupbuy.stockLeft(p.stock) : S.groupbuy.soldOut}</Text>
          </View>
        </View>
      )}
    />
  );
}
