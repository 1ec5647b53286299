import type { CampaignSummary } from '@jizan/shared';
import { Text, View } from '@tarojs/components';
import { S } from '../strings';
import { CountDown } from './nut';

/** The campaign's live clock: time to the end while live, to the start before; `onEnd` lets the page refresh its state. */
export function CampaignCountdown({ campaign, onEnd }: { campaign: Pick<CampaignSummary, 'status' | 'startsAt' | 'endsAt'>; onEnd?: () => void }) {
  if (campaign.status === 'ended') return <Text className='countdown countdown--over'>{S.home.ended}</Text>;
  const live = campaign.status === 'live';
  const until = Date.parse(live ? campaign.endsAt : campaign.startsAt);
  return (
    <View className='countdown'>
      <Text className='countdown__label'>{live ? S.home.endsIn : S.home.startsIn}</Text>
      <CountDown className='countdown__clock' endTime={until} format='DD天HH:mm:ss' onEnd={onEnd} />
    </View>
  );
}
