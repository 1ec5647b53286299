import { Button, Canvas, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import { PageShell } from '../../../components/page-shell';
import { ErrorState, Loading } from '../../../components/state-view';
import { useAction } from '../../../hooks/use-action';
import { useCampaignId } from '../../../hooks/use-campaign-id';
import { useResource } from '../../../hooks/use-resource';
import { isH5 } from '../../../platform';
import { api, assetUrl } from '../../../services/client';
import { S } from '../../../strings';
import { downloadPng, openAlbumSettings, PosterError, renderPoster, saveToAlbum, type PosterNode } from './poster-canvas';
import { posterCardKey, posterFacts, saveRefusalOf } from './poster-facts';
import './index.scss';

const CANVAS_ID = 'poster-canvas';

/** The like card the poster's code opens: the one made for the last poster, else a new one (each new card costs a platform code). */
async function posterCardToken(userId: string, campaignId: string): Promise<string> {
  const key = posterCardKey(userId, campaignId);
  const kept: unknown = Taro.getStorageSync(key);
  if (typeof kept === 'string' && kept) return kept;
  const card = await api.createShare({ campaignId, kind: 'like' });
  Taro.setStorageSync(key, card.token);
  return card.token;
}

type Drawing = { state: 'drawing' } | { state: 'ready' } | { state: 'failed'; reason: 'code' | 'draw'; cardGone: boolean };
type Saved = 'saved' | 'denied' | 'failed' | null;

/**
 * The share poster: my avatar, my energy and how far the next red packet is, and the code that
 * opens my like card, drawn on a 2D canvas for Moments and chats where a card cannot go. The chat
 * app saves it to the album (the permission, once refused, only comes back through the settings);
 * H5 has no album and downloads the PNG.
 */
export default function PosterPage() {
  const campaign = useCampaignId();
  const campaignId = campaign.id;
  const me = useResource(() => api.me(), 'me');
  const rp = useResource(campaignId ? () => api.redPackets(campaignId) : null, campaignId ?? '');
  const userId = me.data?.id ?? null;
  const token = useResource(userId && campaignId ? () => posterCardToken(userId, campaignId) : null, `${userId}:${campaignId}`);

  const [drawing, setDrawing] = useState<Drawing>({ state: 'drawing' });
  const [attempt, setAttempt] = useState(0);
  const [saved, setSaved] = useState<Saved>(null);
  const node = useRef<PosterNode | null>(null);

  const facts = me.data && rp.data ? posterFacts(me.data, rp.data) : null;
  const factsKey = facts ? JSON.stringify(facts) : '';
  const cardToken = token.data;

  useEffect(() => {
    if (!facts || !cardToken) return;
    let current = true;
    setDrawing({ state: 'drawing' });
    setSaved(null);
    node.current = null;
    renderPoster(`#${CANVAS_ID}`, facts, {
      code: assetUrl(api.posterCodePath(cardToken)),
      avatar: facts.avatarUrl ? assetUrl(facts.avatarUrl) : null,
    }).then(
      (n) => {
        if (!current) return;
        node.current = n;
        setDrawing({ state: 'ready' });
      },
      (e: unknown) => {
        if (!current) return;
        const err = e instanceof PosterError ? e : new PosterError('draw');
        setDrawing({ state: 'failed', reason: err.reason, cardGone: err.status === 404 });
      },
    );
    return () => {
      current = false;
    };
    // The facts' content, not the object made on every render, decides when to draw again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [factsKey, cardToken, attempt]);

  const retry = () => {
    if (drawing.state === 'failed' && drawing.cardGone && userId && campaignId) {
      // The kept card is gone (a reset server): make a new one.
      Taro.removeStorageSync(posterCardKey(userId, campaignId));
      void token.reload();
    }
    setAttempt((n) => n + 1);
  };

  const save = useAction(async () => {
    if (!node.current) return;
    if (isH5()) {
      downloadPng(node.current, 'jizan-poster.png');
      setSaved('saved');
      return;
    }
    const out = await saveToAlbum(node.current);
    if (out.ok) {
      setSaved('saved');
      void Taro.showToast({ title: S.poster.saved, icon: 'none' });
      return;
    }
    const refusal = saveRefusalOf(out.errMsg);
    setSaved(refusal === 'cancelled' ? null : refusal);
  });

  const settings = async () => {
    if (await openAlbumSettings()) setSaved(null);
  };

  const failure = campaign.error ?? me.error ?? rp.error ?? token.error;
  const reloadAll = () => void Promise.all([campaign.reload(), me.reload(), rp.reload(), token.reload()]);

  const body = () => {
    if (failure && !(facts && cardToken)) return <ErrorState failure={failure} onRetry={reloadAll} />;
    if (!facts || !cardToken) return <Loading text={S.poster.drawing} />;
    const ready = drawing.state === 'ready';
    return (
      <View className='poster__body'>
        <View className='poster__frame'>
          <Canvas type='2d' id={CANVAS_ID} className='poster__canvas' />
          {drawing.state === 'drawing' ? (
            <View className='poster__cover'>
              <Text className='poster__cover-text'>{S.poster.drawing}</Text>
            </View>
          ) : null}
          {drawing.state === 'failed' ? (
            <View className='poster__cover poster__cover--failed'>
              <Text className='poster__cover-text'>{drawing.reason === 'code' ? S.poster.noCode : S.poster.failed}</Text>
              <Button className='btn btn--primary poster__retry' onClick={retry}>
                {S.common.retry}
              </Button>
            </View>
          ) : null}
        </View>
        <Button className='btn btn--primary poster__save' disabled={!ready || save.busy || undefined} onClick={() => void save.run()}>
          {save.busy ? S.poster.saving : isH5() ? S.poster.download : S.poster.save}
        </Button>
        {saved === 'saved' ? <Text className='notice poster__done'>{isH5() ? S.poster.downloaded : S.poster.saved}</Text> : null}
        {saved === 'failed' || save.failure ? <Text className='notice notice--error'>{S.poster.saveFailed}</Text> : null}
        {saved === 'denied' ? (
          <View className='poster__denied'>
            <Text className='notice notice--error'>{S.poster.albumDenied}</Text>
            <Button className='btn btn--ghost poster__settings' onClick={() => void settings()}>
              {S.poster.openSettings}
            </Button>
          </View>
        ) : null}
      </View>
    );
  };

  return <PageShell name='poster'>{body()}</PageShell>;
}
