import type { LikeResponse, ShareChannel, ShareLanding, ShareResponse } from '@jizan/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter, useShareAppMessage, useShareTimeline } from '@tarojs/taro';
import { shareImagePath } from '@jizan/shared/constants';
import { useCallback, useEffect, useState } from 'react';
import { Avatar, FriendFaces } from '../../components/avatar';
import { CampaignCountdown } from '../../components/campaign-countdown';
import { Celebrate } from '../../components/celebrate';
import { PageShell } from '../../components/page-shell';
import { useProfilePrompt } from '../../components/profile-prompt';
import { ProgressBar } from '../../components/progress-bar';
import { ShareButton } from '../../components/share-button';
import { ErrorState, goHome, Loading } from '../../components/state-view';
import { useAction } from '../../hooks/use-action';
import { useResource } from '../../hooks/use-resource';
import { deriveLandingView, type ActionState, type NextStep } from '../../logic/landing-state';
import { GroupBuyLanding } from '../../components/group-buy-landing';
import { pageUrl } from '../../page-paths';
import { isMomentsScene, launchScene } from '../../platform';
import { api, assetUrl } from '../../services/client';
import { failureOf } from '../../services/error-message';
import { posterSceneOf } from '../../logic/poster-scene';
import { S } from '../../strings';
import { askSubscribe, prefetchSubscriptions } from '../../logic/subscribe';
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
  const cardToken = readToken(router.params.token);
  // A scanned poster code opens this page with the card's short scene instead of its token.
  const posterScene = cardToken ? null : posterSceneOf(router.params.scene);
  const [sceneToken, setSceneToken] = useState<string | null>(null);
  const [sceneError, setSceneError] = useState<unknown>(null);
  const token = cardToken ?? sceneToken;
  const [scene] = useState(launchScene);
  const moments = isMomentsScene(scene);
  const channel: ShareChannel = moments ? 'moments' : posterScene ? 'poster' : 'card';

  const resolvePoster = useCallback(async () => {
    if (!posterScene) return;
    setSceneError(null);
    try {
      setSceneToken((await api.shareScene(posterScene)).token);
    } catch (e) {
      setSceneError(e);
    }
  }, [posterScene]);
  useEffect(() => {
    void resolvePoster();
  }, [resolvePoster]);
  const [landing, setLanding] = useState<ShareLanding | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [likeResult, setLikeResult] = useState<LikeResponse | null>(null);
  const [joinedTeamId, setJoinedTeamId] = useState<string | null>(null);
  // Single-page mode (opened from Moments) has no login; the viewer is only needed to act.
  const me = useResource(moments || !token ? null : () => api.me(), 'me');
  const profile = useProfilePrompt(me.data, () => void me.reload());

  const load = useCallback(async () => {
    if (!token) return;
    setLoadError(null);
    try {
      setLanding(await api.shareLanding(token, moments, channel));
    } catch (e) {
      setLoadError(e);
    }
  }, [token, moments, channel]);

  useEffect(() => {
    void load();
  }, [load]);
  // The like's subscribe ask needs its ids before the tap; single-page mode cannot log in or like.
  useEffect(() => {
    if (!moments && token) void prefetchSubscriptions();
  }, [moments, token]);

  // Forwarding the landing passes the same card on, so a friend of a friend can help the sharer too.
  const forwardTitle = landing ? S.share.likeReason(landing.sharer.nickname) : S.home.shareTitleFallback;
  const imageUrl = shareImagePath(landing?.kind ?? 'like');
  useShareAppMessage(() => ({ title: forwardTitle, path: token ? pageUrl.share(token) : pageUrl.home(), imageUrl: assetUrl(imageUrl) }));
  // Moments opens the page in single-page mode with this query: the read-only landing below.
  useShareTimeline(() => ({ title: forwardTitle, query: token ? `token=${encodeURIComponent(token)}` : '', imageUrl: assetUrl(imageUrl) }));
  const thisCard = async (): Promise<ShareResponse> => ({ token: token ?? '', path: pageUrl.share(token ?? ''), title: forwardTitle, imageUrl });

  // Each action refreshes the landing afterwards (counters, the other button); a failed refresh keeps the page.
  const like = useAction(async (t: string) => {
    // Asked inside the tap, beside the like (the sheet needs the tap; the like never waits for it).
    askSubscribe('after_like');
    try {
      setLikeResult(await api.like(t));
    } finally {
      void load();
    }
  });
  const join = useAction(async (t: string) => {
    try {
      const team = await api.join(t);
      setJoinedTeamId(team.id);
      // Teammates should see a name and a face, not the generated default.
      profile.offerFirst(() => undefined);
    } finally {
      void load();
    }
  });

  const view = deriveLandingView({
    token,
    scene,
    landing,
    loadError,
    likeResult,
    liking: like.busy,
    likeFailure: like.failure,
    joinedTeamId,
    joining: join.busy,
    joinFailure: join.failure,
  });

  const actionButton = (a: ActionState, label: string, busyLabel: string, onTap: () => void, primary: boolean) => {
    if (a.state === 'hidden' || a.state === 'done') return null;
    if (a.state === 'blocked') return <Text className='notice share-page__blocked'>{a.message}</Text>;
    return (
      <View className='share-page__action'>
        <Button
          className={`btn btn--block ${primary ? 'btn--primary btn--big' : 'btn--ghost'}`}
          onClick={onTap}
          disabled={a.state === 'busy' || undefined}
        >
          {a.state === 'busy' ? busyLabel : label}
        </Button>
        {a.state === 'available' && a.error ? <Text className='notice notice--error'>{a.error}</Text> : null}
      </View>
    );
  };

  const nextButton = (step: NextStep, primary: boolean, myTeamId: string | null) => {
    const cls = `btn btn--block ${primary ? 'btn--primary' : 'btn--ghost'}`;
    if (step === 'invite') {
      return <ShareButton key={step} label={S.share.next.invite} me={me.data} card={thisCard} variant={primary ? 'primary' : 'ghost'} />;
    }
    const onTap =
      step === 'my-team' && myTeamId ? () => void Taro.navigateTo({ url: pageUrl.team(myTeamId) }) : goHome;
    return (
      <Button key={step} className={`${cls} share-page__next`} onClick={onTap}>
        {S.share.next[step]}
      </Button>
    );
  };

  const body = () => {
    // A poster's scene first becomes its card: an unknown or expired one says so, with the way home.
    if (!cardToken && posterScene) {
      if (sceneError) return <ErrorState failure={failureOf(sceneError)} onRetry={() => void resolvePoster()} />;
      if (!sceneToken) return <Loading />;
    }
    switch (view.kind) {
      case 'missing-token':
        return <ErrorState failure={{ message: S.share.missingToken, code: null, retryable: false }} />;
      case 'loading':
        return <Loading />;
      case 'error':
        // A dead link stays dead: retry only when it may pass (network, server busy); home always.
        return <ErrorState failure={view.failure} onRetry={() => void load()} />;
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
              <CampaignCountdown campaign={l.campaign} onEnd={() => void load()} />
            </View>

            <View className='card share-page__pull'>
              {/* The sharer opening their own card reads it as theirs: 我的能量, 好友为我助力. */}
              <ProgressBar
                label={l.viewer.isSharer ? S.home.myEnergy : S.share.sharerEnergy}
                energy={view.likeResult?.sharerEnergy ?? l.sharerEnergy}
                nextTier={l.sharerNextTier}
                forFriend={!l.viewer.isSharer}
              />
              <FriendFaces
                friends={l.helpers}
                text={l.viewer.isSharer ? S.home.helpersCount(l.helpers.count) : S.share.helpersCount(l.helpers.count)}
                empty={l.viewer.isSharer ? S.home.noHelpers : S.share.beFirst}
              />
            </View>

            {view.moments ? (
              <View className='card'>
                <Text className='card__title'>{S.share.momentsTitle}</Text>
                <Text className='card__sub'>{S.share.momentsBody}</Text>
              </View>
            ) : (
              <View className='card'>
                {view.notice ? <Text className='notice'>{view.notice}</Text> : null}
                {view.likeResult ? (
                  <Celebrate title={S.share.likeDone} gain={`+${view.likeResult.energy}`}>
                    <Text className='celebrate__line'>{S.share.likeGain(view.likeResult.energy)}</Text>
                    {view.likeResult.newLikerBonus ? <Text className='celebrate__line'>{S.share.newLikerBonus}</Text> : null}
                    <Text className='celebrate__line'>{S.share.sharerEnergyNow(view.likeResult.sharerEnergy)}</Text>
                  </Celebrate>
                ) : null}
                {actionButton(view.like, S.share.like, S.share.liking, () => void (token && like.run(token)), true)}
                {/* What the join enters; once joined, the success line names the team instead. */}
                {l.team && view.join.state !== 'hidden' && view.join.state !== 'done' ? (
                  <Text className='card__sub share-page__team'>
                    {S.share.teamInfo(l.team.name, l.team.memberCount, l.team.maxMembers)}
                  </Text>
                ) : null}
                {view.join.state === 'done' && l.team ? (
                  <Celebrate title={S.share.joined}>
                    <Text className='celebrate__line'>{S.share.joinedLine(l.team.name)}</Text>
                  </Celebrate>
                ) : (
                  actionButton(view.join, S.share.join, S.share.joining, () => void (token && join.run(token)), view.like.state !== 'available')
                )}
                {view.next.length > 0 ? (
                  // Only one primary on screen: a join still open outranks the next steps.
                  <View className='share-page__nexts'>{view.next.map((step, i) => nextButton(step, i === 0 && view.join.state !== 'available', view.myTeamId))}</View>
                ) : null}
              </View>
            )}
          </View>
        );
      }
    }
  };

  return (
    <PageShell name='share-page'>
      {body()}
      {profile.prompt}
    </PageShell>
  );
}
