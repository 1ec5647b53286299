import type { LikeResponse, ShareLanding } from '@jizan/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import { Avatar } from '../../components/avatar';
import { DevUserBar } from '../../components/dev-user-bar';
import { GroupBuyLanding } from '../../components/group-buy-landing';
import { SharerProgress } from '../../components/sharer-progress';
import { ErrorState, Loading } from '../../components/state-view';
import { deriveLandingView, type ActionState } from '../../logic/landing-state';
import { pageUrl } from '../../page-paths';
import { isMomentsScene, launchScene } from '../../platform';
import { api } from '../../services/client';
import { errorMessage } from '../../services/error-message';
import { S } from '../../strings';
import './index.scss';

function readToken(raw: string | undefined): string | null {
  if (!raw) return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export default function SharePage() {
  const router = useRouter();
  const token = readToken(router.params.token);
  const [scene] = useState(launchScene);
  const [landing, setLanding] = useState<ShareLanding | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [likeResult, setLikeResult] = useState<LikeResponse | null>(null);
  const [liking, setLiking] = useState(false);
  const [joined, setJoined] = useState<{ teamId: string } | null>(null);
  const [joining, setJoining] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (!token) return;
    setLoadError(null);
    try {
      // Single-page mode (opened from Moments) has no login: ask anonymously.
      setLanding(await api.shareLanding(token, isMomentsScene(scene)));
    } catch (e) {
      setLoadError(e);
    }
  }, [token, scene]);

  useEffect(() => {
    void load();
  }, [load]);

  // Forwarding the landing passes the same card on, so a friend of a friend can help the sharer too.
  useShareAppMessage(() => ({
    title: landing ? S.share.likeReason(landing.sharer.nickname) : S.home.shareTitleFallback,
    path: token ? pageUrl.share(token) : pageUrl.home(),
  }));

  /** Like and join behave alike: one request at a time, a friendly message on refusal, then a fresh landing. */
  const act = async <T,>(call: (token: string) => Promise<T>, setBusy: (busy: boolean) => void, onDone: (result: T) => void) => {
    if (!token) return;
    setBusy(true);
    setActionError(null);
    try {
      onDone(await call(token));
    } catch (e) {
      setActionError(errorMessage(e));
    } finally {
      setBusy(false);
      // Refresh so the other button and the counters reflect what just happened.
      void load();
    }
  };
  const like = () => act(api.like, setLiking, setLikeResult);
  const join = () => act(api.join, setJoining, (team) => setJoined({ teamId: team.id }));

  const view = deriveLandingView({ token, scene, landing, loadError, likeResult, liking, joined: joined !== null, joining });
  const goHome = () => void Taro.reLaunch({ url: pageUrl.home() });

  const actionButton = (a: ActionState, label: string, busyLabel: string, onTap: () => void, primary: boolean) => {
    if (a.state === 'hidden' || a.state === 'done') return null;
    if (a.state === 'blocked') return <Text className='notice share-page__blocked'>{a.message}</Text>;
    return (
      <Button
        className={`btn btn--block ${primary ? 'btn--primary' : 'btn--ghost'} share-page__action`}
        onClick={onTap}
        disabled={a.state === 'busy' || undefined}
      >
        {a.state === 'busy' ? busyLabel : label}
      </Button>
    );
  };

  const body = () => {
    switch (view.kind) {
      case 'missing-token':
        return <ErrorState message={S.share.missingToken} />;
      case 'loading':
        return <Loading />;
      case 'error':
        // A dead link stays dead: offer retry only for failures that may pass (network, server busy).
        return <ErrorState message={view.message} onRetry={view.retryable ? () => void load() : undefined} />;
      case 'ready': {
        const l = landing!;
        if (l.groupBuy && !view.moments) {
          return <GroupBuyLanding token={token!} landing={{ ...l, groupBuy: l.groupBuy }} onChanged={() => void load()} />;
        }
        return (
          <View>
            <View className='share-page__hero'>
              <Avatar url={l.sharer.avatarUrl} name={l.sharer.nickname} size='lg' />
              <Text className='share-page__name'>{l.sharer.nickname}</Text>
              <Text className='share-page__headline'>{view.headline}</Text>
              <Text className='share-page__campaign'>{l.campaign.name}</Text>
            </View>
            <SharerProgress landing={l} />

            {view.moments ? (
              <View className='card'>
                <Text className='card__title'>{S.share.momentsTitle}</Text>
                <Text className='card__sub'>{S.share.momentsBody}</Text>
              </View>
            ) : (
              <View className='card'>
                {view.notice ? <Text className='notice'>{view.notice}</Text> : null}
                {view.likeResult ? (
                  <View className='share-page__success'>
                    <Text className='share-page__success-title'>{S.share.likeDone}</Text>
                    <Text className='share-page__success-line'>{S.share.likeGain(view.likeResult.energy)}</Text>
                    {view.likeResult.newLikerBonus ? (
                      <Text className='share-page__success-line'>{S.share.newLikerBonus}</Text>
                    ) : null}
                    <Text className='share-page__success-line'>{S.share.sharerEnergy(view.likeResult.sharerEnergy)}</Text>
                  </View>
                ) : null}
                {actionButton(view.like, S.share.like, S.share.liking, () => void like(), true)}
                {l.team ? (
                  <Text className='card__sub share-page__team'>
                    {S.share.teamInfo(l.team.name, l.team.memberCount, l.team.maxMembers)}
                  </Text>
                ) : null}
                {joined ? (
                  <View className='share-page__joined'>
                    <Text className='share-page__success-title'>{S.share.joined}</Text>
                    <Button
                      className='btn btn--block btn--ghost share-page__action'
                      onClick={() => void Taro.navigateTo({ url: pageUrl.team(joined.teamId) })}
                    >
                      {S.share.viewMyTeam}
                    </Button>
                  </View>
                ) : (
                  actionButton(view.join, S.share.join, S.share.joining, () => void join(), view.like.state !== 'available')
                )}
                {actionError ? <Text className='notice'>{actionError}</Text> : null}
              </View>
            )}

          </View>
        );
      }
    }
  };

  const moments = view.kind === 'ready' && view.moments;
  return (
    <View className='page share-page'>
      <DevUserBar />
      {body()}
      {moments || view.kind === 'loading' ? null : (
        <View className='section'>
          <Button className='btn btn--block btn--ghost' onClick={goHome}>
            {S.share.goHome}
          </Button>
        </View>
      )}
    </View>
  );
}
