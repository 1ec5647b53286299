import { Image, Text, View } from '@tarojs/components';
import { initialOf } from '../logic/format';
import { assetUrl } from '../services/client';

const COLORS = ['#ff8a65', '#4db6ac', '#7986cb', '#f06292', '#ffb74d', '#64b5f6', '#a1887f'];

/** Users without an avatar get their initial on a colour picked from their name, so rows stay distinguishable. */
export function Avatar({ url, name, size = 'md' }: { url: string | null; name: string; size?: 'sm' | 'md' | 'lg' }) {
  if (url) return <Image className={`avatar avatar--${size}`} src={assetUrl(url)} mode='aspectFill' />;
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return (
    <View className={`avatar avatar--${size} avatar--initial`} style={{ background: COLORS[h % COLORS.length] }}>
      <Text>{initialOf(name)}</Text>
    </View>
  );
}
