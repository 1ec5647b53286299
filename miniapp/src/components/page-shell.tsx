import { View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { H5Bar } from './h5-bar';

/**
 * Every page's frame: its `page` class and the browser preview's top bar, with the back control
 * that a sub-page needs in a tab without the chat app's navigation bar (home has none to go back to).
 */
export function PageShell({ name, back = true, children }: { name: string; back?: boolean; children: ReactNode }) {
  return (
    <View className={`page ${name}`}>
      <H5Bar back={back} />
      {children}
    </View>
  );
}
