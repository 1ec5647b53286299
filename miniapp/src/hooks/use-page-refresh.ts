import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useRef } from 'react';

/**
 * Pull-to-refresh and "came back to this page" both reload: energy changes while the user is on
 * another page (a friend liked), and stale numbers are what makes a campaign feel broken.
 */
export function usePageRefresh(reload: () => Promise<unknown>) {
  const shown = useRef(false);
  usePullDownRefresh(() => {
    void reload().finally(() => Taro.stopPullDownRefresh());
  });
  useDidShow(() => {
    if (shown.current) void reload();
    shown.current = true;
  });
}
