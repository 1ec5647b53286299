import type { ReactNode } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { S } from '../strings';

export function Loading({ text = S.common.loading }: { text?: string }) {
  return (
    <View className='state state--loading'>
      <View className='state__spinner' />
      <Text className='state__text'>{text}</Text>
    </View>
  );
}

export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <View className='state state--error'>
      <Text className='state__text'>{message}</Text>
      {onRetry ? (
        <Button className='btn btn--ghost state__action' onClick={onRetry}>
          {S.common.retry}
        </Button>
      ) : null}
    </View>
  );
}

export function EmptyState({ text, children }: { text: string; children?: ReactNode }) {
  return (
    <View className='state state--empty'>
      <Text className='state__text'>{text}</Text>
      {children}
    </View>
  );
}
