import { Text, View } from '@tarojs/components';
import { useEffect, useRef, useState } from 'react';
import { remainingUntil } from '../logic/red-packets';
import { RP } from '../strings';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A live clock to the campaign's end (or its start, before it): ticks every second and calls
 * `onEnd` once when the moment passes, so the page can refresh into its next state.
 */
export function CampaignCountdown({ startsAt, endsAt, onEnd }: { startsAt: string; endsAt: string; onEnd?: () => void }) {
  const [now, setNow] = useState(() => Date.now());
  const ended = useRef(false);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const upcoming = Date.parse(startsAt) > now;
  const left = remainingUntil(upcoming ? startsAt : endsAt, now);
  useEffect(() => {
    if (!upcoming && left.over && !ended.current) {
      ended.current = true;
      onEnd?.();
    }
  }, [upcoming, left.over, onEnd]);

  if (!upcoming && left.over) return <Text className='rp-countdown rp-countdown--over'>{RP.countdown.over}</Text>;
  return (
    <View className='rp-countdown'>
      <Text className='rp-countdown__label'>{upcoming ? RP.countdown.startsIn : RP.countdown.endsIn}</Text>
      <Text className='rp-countdown__clock'>{RP.countdown.parts(left.days, pad(left.hours), pad(left.minutes), pad(left.seconds))}</Text>
    </View>
  );
}
