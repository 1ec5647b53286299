import { Button, Text, View } from '@tarojs/components';
import { LIMITS } from '@jizan/shared/constants';
import type { Me, UpdateMeBody } from '@jizan/shared';
import Taro from '@tarojs/taro';
import { useState, type ReactNode } from 'react';
import { Avatar } from './avatar';
import { CountedInput } from './counted-input';
import { useAction } from '../hooks/use-action';
import { nameProblem } from '../logic/text-limit';
import { api } from '../services/client';
import { isH5 } from '../platform';
import { markProfilePrompted, shouldOfferProfile } from '../services/session';
import { S } from '../strings';

/**
 * Offered the first time the user is about to appear to others (creating or joining a team,
 * sharing). Avatar and nickname come from the platform's own chooser and nickname keyboard;
 * skipping keeps the generated default, and either way the prompt is not offered again.
 */
export function ProfilePrompt({ me, onDone }: { me: Me; onDone: (saved: boolean) => void }) {
  const [avatarUrl, setAvatarUrl] = useState<string | null>(me.avatarUrl);
  const [nickname, setNickname] = useState('');
  const nameOk = nameProblem(nickname, LIMITS.nicknameMaxLength) === null;

  const finish = (saved: boolean) => {
    markProfilePrompted();
    onDone(saved);
  };

  // The chooser's path is local to this phone: the picture itself goes to the server first.
  const save = useAction(async (body: UpdateMeBody, newAvatar: string | null) => {
    if (newAvatar) await api.uploadAvatar(newAvatar);
    return body.nickname ? api.updateMe(body) : null;
  });
  const onSave = async () => {
    const body: UpdateMeBody = {};
    const nick = nickname.trim();
    if (nick) body.nickname = nick;
    const newAvatar = avatarUrl && avatarUrl !== me.avatarUrl ? avatarUrl : null;
    if (!body.nickname && !newAvatar) return finish(false);
    const out = await save.run(body, newAvatar);
    if (out?.ok) {
      void Taro.showToast({ title: S.profile.saved, icon: 'success' });
      finish(true);
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
        <CountedInput
          className='profile__nickname'
          type='nickname'
          placeholder={S.profile.nicknamePlaceholder}
          value={nickname}
          onChange={setNickname}
          max={LIMITS.nicknameMaxLength}
          tooLong={S.profile.nicknameTooLong(LIMITS.nicknameMaxLength)}
        />
        {save.failure ? <Text className='notice notice--error'>{save.failure.message}</Text> : null}
        <View className='sheet__actions'>
          <Button className='btn btn--ghost' onClick={() => finish(false)} disabled={save.busy || undefined}>
            {S.profile.skip}
          </Button>
          <Button className='btn btn--primary' onClick={() => void onSave()} disabled={save.busy || !nameOk || undefined}>
            {save.busy ? S.common.loading : S.profile.save}
          </Button>
        </View>
      </View>
    </View>
  );
}

/**
 * The prompt at the moment the user is about to appear to others: `offerFirst(next)` shows it
 * when this user should be offered it and runs `next` once they save or skip, or runs `next` at
 * once otherwise. Render `prompt` somewhere on the page.
 */
export function useProfilePrompt(me: Me | null, onSaved?: () => void): { offerFirst: (next: (saved: boolean) => void) => void; prompt: ReactNode } {
  const [pending, setPending] = useState<{ next: (saved: boolean) => void } | null>(null);
  const offerFirst = (next: (saved: boolean) => void) => {
    if (shouldOfferProfile(me)) setPending({ next });
    else next(false);
  };
  const prompt =
    pending && me ? (
      <ProfilePrompt
        me={me}
        onDone={(saved) => {
          setPending(null);
          if (saved) onSaved?.();
          pending.next(saved);
        }}
      />
    ) : null;
  return { offerFirst, prompt };
}
