import type { Product } from '@jizan/shared';
import { Image, Text, View } from '@tarojs/components';
import { priceYuan } from '../logic/money';
import { S } from '../strings';

/** Group price big, list price struck through beside it, and the group size. */
export function PriceTag({ product }: { product: Pick<Product, 'price' | 'groupPrice' | 'groupSize'> }) {
  return (
    <View className='price'>
      <Text className='price__group'>{S.groupbuy.groupPrice(priceYuan(product.groupPrice))}</Text>
      <Text className='price__list'>{S.groupbuy.listPrice(priceYuan(product.price))}</Text>
      <Text className='price__size'>{S.groupbuy.groupOf(product.groupSize)}</Text>
    </View>
  );
}

/** Products carry no image in the demo: a warm block with the title's first character stands in. */
export function ProductImage({ product, size = 'md' }: { product: Pick<Product, 'images' | 'title'>; size?: 'md' | 'lg' }) {
  const url = product.images[0];
  if (url) return <Image className={`product-image product-image--${size}`} src={url} mode='aspectFill' />;
  return (
    <View className={`product-image product-image--${size} product-image--placeholder`}>
      <Text>{Array.from(product.title)[0] ?? '拼'}</Text>
    </View>
  );
}
