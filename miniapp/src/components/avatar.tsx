import type { FriendGroup } from '@jizan/shared';
import { Text, View } from '@tarojs/components';
import { initialOf } from '../logic/format';
import { AvatarGroup, NutAvatar } from './nut';
import { assetUrl } from '../services/client';

const COLORS = ['#ff8a65', '#4db6ac', '#7986cb', '#f06292', '#ffb74d', '#64b5f6', '#a1887f'];
const PX = { sm: 28, md: 40, lg: 64 } as const;

/** Users without an avatar get their initial on a colour picked from their name, so rows stay distinguishable. */
function look(url: string | null, name: string) {
  // Uploaded avatars are paths on the API server; assetUrl makes them loadable from the chat app too.
  if (url) return { src: assetUrl(url), children: undefined };
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return { background: COLORS[h % COLORS.length], color: '#fff', children: initialOf(name) };
}

export function Avatar({ url, name, size = 'md' }: { url: string | null; name: string; size?: keyof typeof PX }) {
  return <NutAvatar className={`avatar avatar--${size}`} size={String(PX[size])} mode='aspectFill' {...look(url, name)} />;
}

/** Faces shown before "+N": enough to feel like a crowd, few enough for one line at 375 px. */
const FACES = 5;

/**
 * Friends by face, overlapping, with "+N" for the rest and the sentence that counts them all
 * (已有 N 位好友助力). The group only arranges its direct NutAvatar children, so they are built here.
 */
export function FriendFaces({ friends, text, empty }: { friends: FriendGroup; text: string; empty?: string }) {
  if (friends.count === 0) {
    return empty ? <Text className='friends__empty'>{empty}</Text> : null;
  }
  const more = friends.count - Math.min(FACES, friends.recent.length);
  return (
    <View className='friends'>
      <AvatarGroup className='friends__faces' max={FACES} maxContent={`+${more}`} gap='-8' maxBackground='#ffe6df' maxColor='#ff5a3c'>
        {friends.recent.map((f) => (
          <NutAvatar key={f.id} size='32' mode='aspectFill' {...look(f.avatarUrl, f.nickname)} />
        ))}
      </AvatarGroup>
      <Text className='friends__text'>{text}</Text>
    </View>
  );
}
