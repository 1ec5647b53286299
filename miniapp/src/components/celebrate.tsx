import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';

/**
 * A short moment of success (about 0.8 s, CSS only): the title pops, the gain floats up and a
 * ring of sparks bursts once. It plays when mounted, so it plays once per success.
 */
export function Celebrate({ title, gain, children }: { title: string; gain?: string; children?: ReactNode }) {
  return (
    <View className='celebrate'>
      <View className='celebrate__burst'>
        {Array.from({ length: 8 }, (_, i) => (
          <View key={i} className={`celebrate__spark celebrate__spark--${i}`} />
        ))}
      </View>
      <Text className='celebrate__title'>{title}</Text>
      {gain ? <Text className='celebrate__gain'>{gain}</Text> : null}
      {children}
    </View>
  );
}
