import { Button, Text, View } from '@tarojs/components';
import { LIMITS } from '@jizan/shared/constants';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { FriendFaces } from '../../components/avatar';
import { CampaignCountdown } from '../../components/campaign-countdown';
import { CountedInput } from '../../components/counted-input';
import { PageShell } from '../../components/page-shell';
import { ContentNotice } from '../../components/content-notice';
import { useProfilePrompt } from '../../components/profile-prompt';
import { GroupBuyEntry } from '../../components/group-buy-entry';
import { InboxBadge } from '../../components/inbox-badge';
import { RedPacketLadder } from '../../components/red-packet-ladder';
import { ProgressBar } from '../../components/progress-bar';
import { ShareButton } from '../../components/share-button';
import { EmptyState, ErrorState, Loading } from '../../components/state-view';
import { useAction } from '../../hooks/use-action';
import { useResource } from '../../hooks/use-resource';
import { usePageRefresh } from '../../hooks/use-page-refresh';
import { useShareCard } from '../../hooks/use-share-card';
import { pickCampaign } from '../../logic/campaign';
import { navigate } from '../../logic/navigate';
import { nameProblem } from '../../logic/text-limit';
import { pageUrl } from '../../page-paths';
import { api } from '../../services/client';
import { S } from '../../strings';
import './index.scss';

export default function HomePage() {
  const campaigns = useResource(() => api.campaigns(), 'campaigns');
  const campaign = campaigns.data ? pickCampaign(campaigns.data.campaigns) : null;
  const detail = useResource(campaign ? () => api.campaign(campaign.id) : null, campaign?.id ?? '');
  const likes = useResource(campaign ? () => api.myLikes(campaign.id) : null, campaign?.id ?? '');
  const me = useResource(() => api.me(), 'me');
  // Only the count is needed here; the inbox reads the messages.
  const inbox = useResource(() => api.myNotifications(1), 'inbox');
  const [teamName, setTeamName] = useState('');

  const live = detail.data?.status === 'live';
  const myTeam = detail.data?.me.team ?? null;
  const share = useShareCard(live && campaign ? campaign.id : null, myTeam ? ['like', 'team'] : ['like']);

  usePageRefresh(() => Promise.all([campaigns.reload(), detail.reload(), likes.reload(), me.reload(), inbox.reload()]));

  const create = useAction(async (campaignId: string, name: string) => {
    await api.createTeam(campaignId, { name });
    setTeamName('');
    void Taro.showToast({ title: S.home.teamCreated, icon: 'success' });
    await detail.reload();
  });
  const nameOk = nameProblem(teamName, LIMITS.teamNameMaxLength) === null;
  const profile = useProfilePrompt(me.data, () => void me.reload());

  const createTeam = () => {
    const name = teamName.trim();
    if (!campaign || !nameOk) return;
    if (!name) return void Taro.showToast({ title: S.home.teamNameRequired, icon: 'none' });
    void create.run(campaign.id, name);
  };

  const onCreateTap = () => {
    if (!teamName.trim()) return void Taro.showToast({ title: S.home.teamNameRequired, icon: 'none' });
    // Creating a team shows the captain to others: offer the profile first, once.
    profile.offerFirst(createTeam);
  };

  const body = () => {
    if (campaigns.loading) return <Loading />;
    if (campaigns.error && !campaigns.data) return <ErrorState failure={campaigns.error} onRetry={campaigns.reload} home={false} />;
    if (!campaign) return <EmptyState text={S.home.noCampaign} icon='🕊' />;
    if (detail.error && !detail.data) return <ErrorState failure={detail.error} onRetry={detail.reload} home={false} />;
    if (!detail.data) return <Loading />;
    const d = detail.data;
    return (
      <View>
        <View className='hero hero--with-inbox'>
          <InboxBadge unread={inbox.data?.unread ?? 0} />
          <Text className='hero__title'>{d.name}</Text>
          <CampaignCountdown campaign={d} onEnd={() => void detail.reload()} />
          {d.description ? <Text className='hero__sub'>{d.description}</Text> : null}
        </View>

        <ContentNotice me={me.data} onChanged={() => void me.reload()} />

        <RedPacketLadder campaignId={d.id} energy={d.me.energy} ended={d.status === 'ended'} />

        <View className='card home__energy'>
          {myTeam ? <ProgressBar label={S.home.teamEnergy} energy={myTeam.energy} /> : null}
          {live ? <Text className='card__sub'>{S.home.likesLeft(d.me.likesLeftToday)}</Text> : null}
        </View>

        <View className='card home__helpers'>
          <Text className='card__title'>{S.home.helpers}</Text>
          {likes.data ? (
            <View>
              <FriendFaces friends={likes.data.helpers} text={S.home.helpersCount(likes.data.helpers.count)} empty={S.home.noHelpers} />
              <FriendFaces friends={likes.data.helped} text={S.home.helpedCount(likes.data.helped.count)} />
            </View>
          ) : null}
          {live ? (
            <View className='home__share'>
              <ShareButton kind='like' label={S.home.shareLike} me={me.data} card={() => share.get('like')} />
              {/* Where a card cannot go (Moments, a chat outside the app), a poster with the card's code can. */}
              <Button className='btn btn--ghost btn--block home__poster' onClick={() => navigate(pageUrl.poster(d.id))}>
                {S.poster.entry}
              </Button>
              {myTeam ? (
                <ShareButton kind='team' label={S.home.shareTeam} me={me.data} card={() => share.get('team')} variant='ghost' />
              ) : null}
            </View>
          ) : null}
        </View>

        <GroupBuyEntry campaignId={d.id} />

        <View className='card home__team'>
          <Text className='card__title'>{S.home.myTeam}</Text>
          {myTeam ? (
            <View className='home__team-row' onClick={() => navigate(pageUrl.team(myTeam.id))}>
              <View className='home__team-main'>
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
                  <CountedInput
                    className='home__create-input'
                    placeholder={S.home.teamNamePlaceholder}
                    value={teamName}
                    onChange={setTeamName}
                    max={LIMITS.teamNameMaxLength}
                    tooLong={S.home.teamNameTooLong(LIMITS.teamNameMaxLength)}
                  />
                  {/* No `loading` prop: in H5 its spinner is inserted by the web component into children React
                      owns, which throws on re-render. `|| undefined` because `disabled={false}` still sets the attribute. */}
                  <Button
                    className='btn btn--primary home__create-btn'
                    onClick={onCreateTap}
                    disabled={create.busy || !nameOk || undefined}
                  >
                    {create.busy ? S.common.loading : S.home.createTeam}
                  </Button>
                </View>
              ) : null}
              {create.failure ? <Text className='notice notice--error'>{create.failure.message}</Text> : null}
              <Text className='card__sub home__join-hint'>{S.home.joinHint}</Text>
            </View>
          )}
        </View>

        <View className='link-row'>
          <Button className='btn btn--ghost' onClick={() => navigate(pageUrl.leaderboard(d.id))}>
            {S.home.leaderboard}
          </Button>
          <Button className='btn btn--ghost' onClick={() => navigate(pageUrl.energy(d.id))}>
            {S.home.myLedger}
          </Button>
        </View>
      </View>
    );
  };

  return (
    <PageShell name='home' back={false}>
      {body()}
      {profile.prompt}
    </PageShell>
  );
}
