import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { H5Bar } from '../../../components/h5-bar';
import { PriceTag, ProductImage } from '../../../components/price-tag';
import { EmptyState, ErrorState, Loading } from '../../../components/state-view';
import { useCampaignId } from '../../../hooks/use-campaign-id';
import { usePageRefresh } from '../../../hooks/use-page-refresh';
import { useResource } from '../../../hooks/use-resource';
import { pageUrl } from '../../../page-paths';
import { api } from '../../../services/client';
import { UNKNOWN_FAILURE } from '../../../services/error-message';
import { S } from '../../../strings';
import './index.scss';

export default function ProductsPage() {
  const campaign = useCampaignId();
  const list = useResource(campaign.id ? () => api.products(campaign.id!) : null, campaign.id ?? '');
  usePageRefresh(() => list.reload());

  const body = () => {
    if (campaign.error) return <ErrorState failure={campaign.error} onRetry={campaign.reload} />;
    if (!campaign.id || list.loading) return <Loading />;
    if (!list.data) return <ErrorState failure={list.error ?? UNKNOWN_FAILURE} onRetry={list.reload} />;
    if (list.data.products.length === 0) return <EmptyState text={S.groupbuy.noProducts} />;
    return list.data.products.map((p) => (
      <View className='card product-row' key={p.id} onClick={() => void Taro.navigateTo({ url: pageUrl.product(p.id) })}>
        <ProductImage product={p} />
        <View className='product-row__main'>
          <Text className='product-row__title'>{p.title}</Text>
          <PriceTag product={p} />
          <Text className='card__sub'>{p.stock > 0 ? S.groupbuy.stockLeft(p.stock) : S.groupbuy.soldOut}</Text>
        </View>
      </View>
    ));
  };

  return (
    <View className='page products'>
      <H5Bar back />
      <View className='products__bar'>
        <Text className='products__heading'>{S.groupbuy.productsTitle}</Text>
        <Text className='products__orders' onClick={() => void Taro.navigateTo({ url: pageUrl.orders() })}>
          {S.groupbuy.myOrders}
        </Text>
      </View>
      {body()}
    </View>
  );
}
