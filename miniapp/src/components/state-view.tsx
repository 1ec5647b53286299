import type { ReactNode } from 'react';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { pageUrl } from '../page-paths';
import type { Failure } from '../services/error-message';
import { S } from '../strings';
import { Skeleton } from './nut';

/** The page's shape in grey while its data loads, so nothing jumps when it arrives. */
export function Loading({ text = S.common.loading }: { text?: string }) {
  return (
    <View className='state state--loading' aria-label={text}>
      <View className='state__skeleton-hero' />
      <View className='card'>
        <Skeleton rows={3} animated />
      </View>
      <View className='card'>
        <Skeleton rows={2} animated />
      </View>
      <Text className='state__loading-text'>{text}</Text>
    </View>
  );
}

export function goHome() {
  void Taro.reLaunch({ url: pageUrl.home() });
}

/**
 * A failure with a way on: 重试 only when trying again can help (network, busy server), and the
 * way home whenever this page is a dead end, so nobody is left without a next tap.
 */
export function ErrorState({ failure, onRetry, home = true }: { failure: Failure; onRetry?: () => void; home?: boolean }) {
  const retry = failure.retryable && onRetry;
  return (
    <View className='state state--error'>
      <Text className='state__icon'>{failure.retryable ? '📡' : '🧭'}</Text>
      <Text className='state__text'>{failure.message}</Text>
      {retry ? (
        <Button className='btn btn--primary state__action' onClick={onRetry}>
          {S.common.retry}
        </Button>
      ) : null}
      {home ? (
        <Button className={`btn ${retry ? 'btn--ghost' : 'btn--primary'} state__action`} onClick={goHome}>
          {S.common.backHome}
        </Button>
      ) : null}
    </View>
  );
}

/** An empty list says why it is empty and offers the tap that fills it. */
export function EmptyState({ text, icon = '✨', children }: { text: string; icon?: string; children?: ReactNode }) {
  return (
    <View className='state state--empty'>
      <Text className='state__icon'>{icon}</Text>
      <Text className='state__text'>{text}</Text>
      {children ? <View className='state__actions'>{children}</View> : null}
    </View>
  );
}
