import Taro from '@tarojs/taro';
import { S } from '../strings';

/**
 * Opens a page; if it cannot open (offline and its code not loaded yet, too many pages deep),
 * says so instead of leaving the user on an unchanged screen.
 */
export function navigate(url: string): void {
  Taro.navigateTo({ url }).catch(() => {
    void Taro.showToast({ title: S.common.networkError, icon: 'none' });
  });
}
