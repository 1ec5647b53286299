import type { NextRedPacketTier } from '@jizan/shared';
import { Text, View } from '@tarojs/components';
import { nextReward } from '../logic/progress';
import { packetYuan } from '../logic/money';
import { RP, S } from '../strings';

/**
 * Energy and the way to the next reward: the next red-packet tier when there is one, else the
 * placeholder milestones. `forFriend` words the tier hint for a friend on the sharer's landing.
 * Hand-written: see "Component library" in miniapp/README.md.
 */
export function ProgressBar({
  energy,
  label,
  nextTier,
  forFriend = false,
}: {
  energy: number;
  label: string;
  nextTier?: NextRedPacketTier | null;
  forFriend?: boolean;
}) {
  const p = nextReward(energy, nextTier);
  const pct = `${Math.round(p.ratio * 100)}%`;
  const hint =
    p.amount !== null
      ? (forFriend ? RP.sharer.next : S.home.nextRedPacket)(p.remaining, packetYuan(p.amount))
      : p.target === null
        ? S.home.allMilestones
        : S.home.nextMilestone(p.remaining, p.target);
  return (
    <View className='progress'>
      <View className='progress__head'>
        <Text className='progress__label'>{label}</Text>
        <Text className='progress__value'>{S.common.energyValue(p.energy)}</Text>
      </View>
      <View className='progress__track'>
        <View className='progress__fill' style={{ width: pct }} />
      </View>
      <Text className='progress__hint'>{hint}</Text>
    </View>
  );
}
