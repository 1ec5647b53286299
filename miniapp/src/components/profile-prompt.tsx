import { Button, Input, Text, View } from '@tarojs/components';
import { LIMITS } from '@jizan/shared/constants';
import type { Me, UpdateMeBody } from '@jizan/shared';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { Avatar } from './avatar';
import { api, uploadAvatar } from '../services/client';
import { errorMessage } from '../services/error-message';
import { isH5 } from '../platform';
import { markProfilePrompted } from '../services/session';
import { S } from '../strings';

/**
 * Offered the first time the user is about to appear to others (creating a team, sharing).
 * Avatar and nickname come from the platform's own chooser and nickname keyboard; skipping keeps
 * the generated default, and either way the prompt is not offered again.
 */
export function ProfilePrompt({ me, onDone }: { me: Me; onDone: (saved: boolean) => void }) {
  const [avatarUrl, setAvatarUrl] = useState<string | null>(me.avatarUrl);
  const [nickname, setNickname] = useState('');
  const [saving, setSaving] = useState(false);

  const finish = (saved: boolean) => {
    markProfilePrompted();
    onDone(saved);
  };

  const save = async () => {
    const body: UpdateMeBody = {};
    const nick = nickname.trim();
    if (nick) body.nickname = nick.slice(0, LIMITS.nicknameMaxLength);
    const newAvatar = avatarUrl && avatarUrl !== me.avatarUrl ? avatarUrl : null;
    if (!body.nickname && !newAvatar) return finish(false);
    setSaving(true);
    try {
      // The chooser's path is local to this phone: the picture itself goes to the server.
      if (newAvatar) await uploadAvatar(newAvatar);
      if (body.nickname) await api.updateMe(body);
      void Taro.showToast({ title: S.profile.saved, icon: 'success' });
      finish(true);
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' });
    } finally {
      setSaving(false);
    }
  };

  return (
    <View className='sheet-mask'>
      <View className='sheet profile'>
        <Text className='sheet__title'>{S.profile.title}</Text>
        <Text className='sheet__hint'>{S.profile.hint}</Text>
        {isH5() ? (
          <View className='profile__avatar'>
            <Avatar url={avatarUrl} name={nickname || me.nickname} size='lg' />
          </View>
        ) : (
          <Button
            className='profile__avatar profile__avatar-btn'
            openType='chooseAvatar'
            onChooseAvatar={(e) => setAvatarUrl(e.detail.avatarUrl)}
          >
            <Avatar url={avatarUrl} name={nickname || me.nickname} size='lg' />
          </Button>
        )}
        <Input
          className='input profile__nickname'
          type='nickname'
          placeholder={S.profile.nicknamePlaceholder}
          maxlength={LIMITS.nicknameMaxLength}
          value={nickname}
          onInput={(e) => setNickname(e.detail.value)}
          // The nickname keyboard fills the field without an input event on some devices.
          onBlur={(e) => setNickname(e.detail.value)}
        />
        <View className='sheet__actions'>
          <Button className='btn btn--ghost' onClick={() => finish(false)} disabled={saving || undefined}>
            {S.profile.skip}
          </Button>
          <Button className='btn btn--primary' onClick={() => void save()} disabled={saving || undefined}>
            {saving ? S.common.loading : S.profile.save}
          </Button>
        </View>
      </View>
    </View>
  );
}
