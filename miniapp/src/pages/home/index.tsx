import { Button, Input, Text, View } from '@tarojs/components';
import { LIMITS } from '@jizan/shared/constants';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { CampaignCountdown } from '../../components/campaign-countdown';
import { DevUserBar } from '../../components/dev-user-bar';
import { GroupBuyEntry } from '../../components/group-buy-entry';
import { ProfilePrompt } from '../../components/profile-prompt';
import { RedPacketLadder } from '../../components/red-packet-ladder';
import { ProgressBar } from '../../components/progress-bar';
import { ShareButton } from '../../components/share-button';
import { EmptyState, ErrorState, Loading } from '../../components/state-view';
import { useResource } from '../../hooks/use-resource';
import { usePageRefresh } from '../../hooks/use-page-refresh';
import { useShareCard } from '../../hooks/use-share-card';
import { pickCampaign } from '../../logic/campaign';
import { formatDateTime } from '../../logic/format';
import { pageUrl } from '../../page-paths';
import { api } from '../../services/client';
import { errorMessage } from '../../services/error-message';
import { shouldOfferProfile } from '../../services/session';
import { S } from '../../strings';
import './index.scss';

export default function HomePage() {
  const campaigns = useResource(() => api.campaigns(), 'campaigns');
  const campaign = campaigns.data ? pickCampaign(campaigns.data.campaigns) : null;
  const detail = useResource(campaign ? () => api.campaign(campaign.id) : null, campaign?.id ?? '');
  const me = useResource(() => api.me(), 'me');
  const [teamName, setTeamName] = useState('');
  const [creating, setCreating] = useState(false);
  const [prompting, setPrompting] = useState(false);

  const live = detail.data?.status === 'live';
  const myTeam = detail.data?.me.team ?? null;
  const share = useShareCard(live && campaign ? campaign.id : null, myTeam ? ['like', 'team'] : ['like']);

  usePageRefresh(() => Promise.all([campaigns.reload(), detail.reload(), me.reload()]));

  const createTeam = async () => {
    const name = teamName.trim();
    if (!campaign) return;
    if (!name) return void Taro.showToast({ title: S.home.teamNameRequired, icon: 'none' });
    setCreating(true);
    try {
      await api.createTeam(campaign.id, { name });
      setTeamName('');
      void Taro.showToast({ title: S.home.teamCreated, icon: 'success' });
      await detail.reload();
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' });
    } finally {
      setCreating(false);
    }
  };

  const onCreateTap = () => {
    // Creating a team shows the captain to others: offer the profile first, once.
    if (shouldOfferProfile(me.data)) setPrompting(true);
    else void createTeam();
  };

  const body = () => {
    if (campaigns.loading) return <Loading />;
    if (campaigns.error && !campaigns.data) return <ErrorState message={campaigns.error} onRetry={campaigns.reload} />;
    if (!campaign) return <EmptyState text={S.home.noCampaign} />;
    if (detail.error && !detail.data) return <ErrorState message={detail.error} onRetry={detail.reload} />;
    if (!detail.data) return <Loading />;
    const d = detail.data;
    return (
      <View>
        <View className='hero'>
          <Text className='hero__title'>{d.name}</Text>
          <Text className='hero__sub'>
            {d.status === 'live'
              ? S.home.endsAt(formatDateTime(d.endsAt))
              : d.status === 'upcoming'
                ? S.home.upcoming(formatDateTime(d.startsAt))
                : S.home.ended}
          </Text>
          {d.status !== 'ended' ? <CampaignCountdown startsAt={d.startsAt} endsAt={d.endsAt} onEnd={() => void detail.reload()} /> : null}
          {d.description ? <Text className='hero__sub'>{d.description}</Text> : null}
        </View>

        <RedPacketLadder campaignId={d.id} energy={d.me.energy} ended={d.status === 'ended'} />

        <View className='card home__energy'>
          {myTeam ? <ProgressBar label={S.home.teamEnergy} energy={myTeam.energy} /> : null}
          {live ? <Text className='card__sub'>{S.home.likesLeft(d.me.likesLeftToday)}</Text> : null}
        </View>

        {live ? (
          <View className='card'>
            <ShareButton kind='like' label={S.home.shareLike} me={me.data} getCard={share.get} />
            {myTeam ? (
              <ShareButton kind='team' label={S.home.shareTeam} me={me.data} getCard={share.get} variant='ghost' />
            ) : null}
          </View>
        ) : null}

        <GroupBuyEntry campaignId={d.id} />

        <View className='card home__team'>
          <Text className='card__title'>{S.home.myTeam}</Text>
          {myTeam ? (
            <View
              className='home__team-row'
              onClick={() => void Taro.navigateTo({ url: pageUrl.team(myTeam.id) })}
            >
              <View>
                <Text className='home__team-name'>{myTeam.name}</Text>
                <Text className='card__sub'>
                  {S.home.teamMembers(myTeam.memberCount, myTeam.maxMembers)} · {S.common.energyValue(myTeam.energy)}
                </Text>
              </View>
              <Text className='home__team-link'>{S.home.viewTeam}</Text>
            </View>
          ) : (
            <View>
              <Text className='card__sub'>{S.home.noTeam}</Text>
              {live ? (
                <View className='home__create'>
                  <Input
                    className='input home__create-input'
                    placeholder={S.home.teamNamePlaceholder}
                    maxlength={LIMITS.teamNameMaxLength}
                    value={teamName}
                    onInput={(e) => setTeamName(e.detail.value)}
                  />
                  {/* No `loading` prop: in H5 its spinner is inserted by the web component into children React
                      owns, which throws on re-render. `|| undefined` because `disabled={false}` still sets the attribute. */}
                  <Button className='btn btn--primary home__create-btn' onClick={onCreateTap} disabled={creating || undefined}>
                    {creating ? S.common.loading : S.home.createTeam}
                  </Button>
                </View>
              ) : null}
              <Text className='card__sub home__join-hint'>{S.home.joinHint}</Text>
            </View>
          )}
        </View>

        <View className='link-row'>
          <Button
            className='btn btn--ghost'
            onClick={() => void Taro.navigateTo({ url: pageUrl.leaderboard(d.id) })}
          >
            {S.home.leaderboard}
          </Button>
          <Button
            className='btn btn--ghost'
            onClick={() => void Taro.navigateTo({ url: pageUrl.energy(d.id) })}
          >
            {S.home.myLedger}
          </Button>
        </View>
      </View>
    );
  };

  return (
    <View className='page home'>
      <DevUserBar />
      {body()}
      {prompting && me.data ? (
        <ProfilePrompt
          me={me.data}
          onDone={() => {
            setPrompting(false);
            void me.reload();
            void createTeam();
          }}
        />
      ) : null}
    </View>
  );
}
