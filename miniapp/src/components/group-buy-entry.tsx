import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { pageUrl } from '../page-paths';
import { S } from '../strings';

/** The campaign home's way into group buying: one card, kept apart so home can change around it. */
export function GroupBuyEntry({ campaignId }: { campaignId: string }) {
  return (
    <View className='card gb-entry' onClick={() => void Taro.navigateTo({ url: pageUrl.products(campaignId) })}>
      <View className='gb-entry__main'>
        <Text className='card__title'>{S.groupbuy.entryTitle}</Text>
        <Text className='card__sub'>{S.groupbuy.entrySub}</Text>
      </View>
      <Text className='gb-entry__go'>{S.groupbuy.entryAction}</Text>
    </View>
  );
}
