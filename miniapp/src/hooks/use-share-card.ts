import type { ShareKind, ShareResponse } from '@jizan/shared';
import { shareImagePath } from '@jizan/shared/constants';
import { useShareAppMessage } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import { pageUrl } from '../page-paths';
import { isH5 } from '../platform';
import { api, assetUrl } from '../services/client';
import { S } from '../strings';

type Cards = Partial<Record<ShareKind, ShareResponse>>;

/**
 * Share cards for a campaign. The platform asks for the card synchronously when the user taps
 * share, so cards are created ahead of time; a card not ready yet is handed over as a promise,
 * which the chat app waits for briefly.
 */
export function useShareCard(campaignId: string | null, kinds: readonly ShareKind[], groupId: string | null = null) {
  const [cards, setCards] = useState<Cards>({});
  const cardsRef = useRef<Cards>({});
  cardsRef.current = cards;
  const kindsKey = kinds.join(',');

  const get = useCallback(
    async (kind: ShareKind): Promise<ShareResponse> => {
      const have = cardsRef.current[kind];
      if (have) return have;
      if (!campaignId) throw new Error('no campaign');
      // A group-buy card invites to one group: the group page passes it.
      const card = await api.createShare({ campaignId, kind, ...(kind === 'groupbuy' && groupId ? { groupId } : {}) });
      setCards((prev) => ({ ...prev, [kind]: card }));
      return card;
    },
    [campaignId, groupId],
  );

  useEffect(() => {
    setCards({});
    cardsRef.current = {};
    // Only the chat app needs the card before the tap; H5 creates it on tap, sparing a share row per page view.
    if (!campaignId || isH5()) return;
    for (const kind of kindsKey.split(',').filter(Boolean) as ShareKind[]) {
      // A failed prefetch is retried when the user taps share; nothing to show now.
      get(kind).catch(() => undefined);
    }
  }, [campaignId, kindsKey, get]);

  useShareAppMessage((res) => {
    const dataset = (res.target as { dataset?: { kind?: string } } | undefined)?.dataset;
    const kind: ShareKind = dataset?.kind === 'team' || dataset?.kind === 'groupbuy' ? dataset.kind : 'like';
    const card = cardsRef.current[kind];
    if (card) return chatCard(card);
    return {
      title: S.home.shareTitleFallback,
      path: pageUrl.home(),
      imageUrl: assetUrl(shareImagePath(kind)),
      promise: get(kind).then(chatCard),
    } as { title: string; path: string };
  });

  return { cards, get };
}

/** A card as the chat shows it: title, the page it opens, and its picture (a path on the server made absolute). */
export function chatCard(card: ShareResponse): { title: string; path: string; imageUrl: string } {
  return { title: card.title, path: card.path, imageUrl: assetUrl(card.imageUrl) };
}

/** The H5 stand-in for a share card: a link that opens the landing page through the hash router. */
export function h5ShareLink(path: string): string {
  if (typeof window === 'undefined') return path;
  return `${window.location.origin}${window.location.pathname}#${path}`;
}
