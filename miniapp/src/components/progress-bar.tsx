import { Text, View } from '@tarojs/components';
import { nextReward } from '../logic/progress';
import { S } from '../strings';

/** Energy and the way to the next reward. Hand-written: see "Component library" in miniapp/README.md. */
export function ProgressBar({ energy, label }: { energy: number; label: string }) {
  const p = nextReward(energy);
  const pct = `${Math.round(p.ratio * 100)}%`;
  return (
    <View className='progress'>
      <View className='progress__head'>
        <Text className='progress__label'>{label}</Text>
        <Text className='progress__value'>{S.common.energyValue(p.energy)}</Text>
      </View>
      <View className='progress__track'>
        <View className='progress__fill' style={{ width: pct }} />
      </View>
      <Text className='progress__hint'>
        {p.target === null ? S.home.allMilestones : S.home.nextMilestone(p.remaining, p.target)}
      </Text>
    </View>
  );
}
