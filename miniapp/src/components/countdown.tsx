import { Text } from '@tarojs/components';
import { useNow } from '../hooks/use-now';
import { countdown } from '../logic/groupbuy';
import { S } from '../strings';

/** A live "剩余 HH:MM:SS" that ticks every second and says the group has ended once it has. */
export function Countdown({ expiresAt, className = '' }: { expiresAt: string; className?: string }) {
  const now = useNow();
  const left = countdown(expiresAt, now);
  return <Text className={`group-countdown ${className}`}>{left ? S.groupbuy.endsIn(left) : S.groupbuy.ended}</Text>;
}
