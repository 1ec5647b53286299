import type { Me, ShareKind, ShareResponse } from '@jizan/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState, type ReactNode } from 'react';
import { h5ShareLink } from '../hooks/use-share-card';
import { useAction } from '../hooks/use-action';
import { isH5 } from '../platform';
import { shouldOfferProfile } from '../services/session';
import { S } from '../strings';
import { useProfilePrompt } from './profile-prompt';

/** What the chat app would show for this card: app name, title, a cover, "小程序". */
export function ShareCardPreview({ card, kind }: { card: ShareResponse; kind: ShareKind }) {
  return (
    <View className='chat-card'>
      <View className='chat-card__app'>
        <View className='chat-card__logo'>
          <Text>赞</Text>
        </View>
        <Text className='chat-card__app-name'>{S.appName}</Text>
      </View>
      <Text className='chat-card__title'>{card.title}</Text>
      <View className={`chat-card__cover chat-card__cover--${kind}`}>
        <Text className='chat-card__cover-icon'>{kind === 'team' ? '👥' : '⚡'}</Text>
        <Text className='chat-card__cover-text'>{kind === 'team' ? S.home.shareTeam : S.home.shareLike}</Text>
      </View>
      <Text className='chat-card__foot'>{S.card.miniProgram}</Text>
    </View>
  );
}

export interface ShareOptions {
  /** Which card the chat app's share sheet asks the page for (`data-kind`); the landing forwards its own. */
  kind?: ShareKind;
  me: Me | null;
  /** Makes (or reuses) the card; H5 calls it on tap. */
  card: () => Promise<ShareResponse>;
}

/**
 * What a share tap does, for any control that shares (a button, an empty team seat). In the chat
 * app the control is the platform's share button (the page's `useShareAppMessage` builds the card)
 * unless the profile prompt comes first; in H5 there is no chat, so the tap copies the landing
 * link and `result` shows the card a friend would see.
 */
export function useShare({ kind = 'like', me, card }: ShareOptions) {
  const [made, setMade] = useState<ShareResponse | null>(null);
  const profile = useProfilePrompt(me);
  const copy = useAction(async () => {
    const c = await card();
    setMade(c);
    // Clipboard access can be refused (insecure origin, no permission); the card and link stay visible either way.
    Taro.setClipboardData({ data: h5ShareLink(c.path) }).catch(() => undefined);
    return c;
  });

  // In the chat app a tap reaches here only when the prompt comes first: the platform's share
  // sheet opens only from a tap on its own button, so after the prompt the user taps once more.
  const afterPrompt = (saved: boolean) => {
    if (isH5()) void copy.run();
    else if (saved) void Taro.showToast({ title: S.profile.shareAgain, icon: 'none' });
  };

  return {
    kind,
    busy: copy.busy,
    /** True when the control should be the chat app's own share button (no tap handler runs). */
    native: !isH5() && !shouldOfferProfile(me),
    tap: () => profile.offerFirst(afterPrompt),
    result: (
      <>
        {copy.failure ? <Text className='notice notice--error'>{copy.failure.message}</Text> : null}
        {made ? (
          <View className='share__result'>
            <Text className='share__hint'>{S.card.copiedHint}</Text>
            <ShareCardPreview card={made} kind={kind} />
            <Text className='share__link-url' selectable userSelect>
              {h5ShareLink(made.path)}
            </Text>
          </View>
        ) : null}
        {profile.prompt}
      </>
    ),
  };
}

export type Share = ReturnType<typeof useShare>;

/** A share control: the platform's share button, or a plain one that runs `share.tap`. */
export function ShareTrigger({ share, className, children }: { share: Share; className: string; children: ReactNode }) {
  if (share.native) {
    return (
      <Button className={className} openType='share' data-kind={share.kind}>
        {children}
      </Button>
    );
  }
  return (
    <Button className={className} disabled={share.busy || undefined} onClick={share.tap}>
      {children}
    </Button>
  );
}

export function ShareButton({ label, variant = 'primary', ...opts }: ShareOptions & { label: string; variant?: 'primary' | 'ghost' }) {
  const share = useShare(opts);
  return (
    <View className='share'>
      <ShareTrigger share={share} className={`btn btn--${variant} btn--block share-btn`}>
        {share.busy ? S.common.loading : label}
      </ShareTrigger>
      {share.result}
    </View>
  );
}
