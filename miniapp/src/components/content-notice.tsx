import type { Me, Team } from '@jizan/shared';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { S } from '../strings';
import { ProfilePrompt } from './profile-prompt';

/**
 * Tells the user what strangers see of them while the platform's content check holds a new name
 * or avatar, or has taken an avatar down, so a held name is not mistaken for a lost one. Only the
 * owner sees this: `team` is passed when the viewer is its captain.
 */
export function ContentNotice({ me, team, onChanged }: { me: Me | null; team?: Pick<Team, 'name' | 'namePending'> | null; onChanged?: () => void }) {
  const [changing, setChanging] = useState(false);
  if (!me) return null;
  const lines: string[] = [];
  if (me.pendingNickname) lines.push(S.content.nicknamePending(me.pendingNickname));
  if (me.avatarPending) lines.push(S.content.avatarPending);
  if (team?.namePending) lines.push(S.content.teamNamePending(team.name));
  if (lines.length === 0 && !me.avatarHidden) return null;
  return (
    <View className='content-notice'>
      {me.avatarHidden ? (
        <View className='notice notice--error content-notice__hidden'>
          <Text>{S.content.avatarHidden}</Text>
          <Text className='content-notice__action' onClick={() => setChanging(true)}>
            {S.content.changeAvatar}
          </Text>
        </View>
      ) : null}
      {lines.map((l) => (
        <Text className='notice content-notice__line' key={l}>
          {l}
        </Text>
      ))}
      {changing ? (
        <ProfilePrompt
          me={me}
          onDone={(saved) => {
            setChanging(false);
            if (saved) onChanged?.();
          }}
        />
      ) : null}
    </View>
  );
}
