import type { ShareLanding } from '@jizan/shared';
import { Text, View } from '@tarojs/components';
import { yuan } from '../logic/red-packets';
import { RP } from '../strings';

/** On a share landing, before the friend taps: how far the sharer is from their next red packet, so the like has a purpose. */
export function SharerProgress({ landing }: { landing: Pick<ShareLanding, 'sharer' | 'sharerEnergy' | 'sharerNextTier'> }) {
  const next = landing.sharerNextTier;
  const ratio = next ? Math.min(1, landing.sharerEnergy / next.energy) : 1;
  return (
    <View className='card rp-sharer'>
      <Text className='rp-sharer__line'>{RP.sharer.progress(landing.sharer.nickname, landing.sharerEnergy)}</Text>
      {next ? (
        <View>
          <View className='rp-ladder__track'>
            <View className='rp-ladder__fill' style={{ width: `${Math.round(ratio * 100)}%` }} />
          </View>
          <Text className='rp-sharer__next'>{RP.sharer.next(next.energyMissing, yuan(next.amount))}</Text>
        </View>
      ) : null}
    </View>
  );
}
