import type { Me, ShareKind, ShareResponse } from '@jizan/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { h5ShareLink } from '../hooks/use-share-card';
import { errorMessage } from '../services/error-message';
import { isH5 } from '../platform';
import { shouldOfferProfile } from '../services/session';
import { S } from '../strings';
import { ProfilePrompt } from './profile-prompt';

interface Props {
  kind: ShareKind;
  label: string;
  me: Me | null;
  getCard: (kind: ShareKind) => Promise<ShareResponse>;
  variant?: 'primary' | 'ghost';
}

/**
 * In the chat app this is the platform share button (the page's `useShareAppMessage` builds the
 * card). In H5 there is no chat, so it copies the landing link and shows it.
 */
export function ShareButton({ kind, label, me, getCard, variant = 'primary' }: Props) {
  const [prompting, setPrompting] = useState(false);
  const [link, setLink] = useState<string | null>(null);
  const [, setTick] = useState(0);
  const needsProfile = shouldOfferProfile(me);

  const copyLink = async () => {
    try {
      const card = await getCard(kind);
      const url = h5ShareLink(card.path);
      setLink(url);
      // Clipboard access can be refused (insecure origin, no permission); the link stays visible either way.
      Taro.setClipboardData({ data: url }).catch(() => undefined);
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' });
    }
  };

  const onPromptDone = (saved: boolean) => {
    setPrompting(false);
    setTick((t) => t + 1);
    if (isH5()) void copyLink();
    else if (saved) void Taro.showToast({ title: S.profile.shareAgain, icon: 'none' });
  };

  const className = `btn btn--${variant} btn--block share-btn`;
  return (
    <View className='share'>
      {!isH5() && !needsProfile ? (
        <Button className={className} openType='share' data-kind={kind}>
          {label}
        </Button>
      ) : (
        <Button className={className} onClick={() => (needsProfile ? setPrompting(true) : void copyLink())}>
          {label}
        </Button>
      )}
      {link ? (
        <View className='share__link'>
          <Text className='share__link-title'>{S.common.copied}</Text>
          <Text className='share__link-url' selectable userSelect>
            {link}
          </Text>
        </View>
      ) : null}
      {prompting && me ? <ProfilePrompt me={me} onDone={onPromptDone} /> : null}
    </View>
  );
}
