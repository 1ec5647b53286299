import type { Team } from '@jizan/shared';
import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { ContentNotice } from '../../components/content-notice';
import { Avatar } from '../../components/avatar';
import { PageShell } from '../../components/page-shell';
import { ProgressBar } from '../../components/progress-bar';
import { ShareTrigger, useShare, type Share } from '../../components/share-button';
import { ErrorState, Loading } from '../../components/state-view';
import { usePageRefresh } from '../../hooks/use-page-refresh';
import { useResource } from '../../hooks/use-resource';
import { useShareCard } from '../../hooks/use-share-card';
import { api } from '../../services/client';
import { S } from '../../strings';
import './index.scss';

/** Every seat of the team, taken or not: an empty seat is a "+" that invites (for members) or waits. */
function Seats({ team, invite }: { team: Team; invite: Share | null }) {
  const empty = Math.max(0, team.maxMembers - team.members.length);
  return (
    <View className='seats'>
      {team.members.map((m) => (
        <View className='seat' key={m.id}>
          <Avatar url={m.avatarUrl} name={m.nickname} size='md' />
          <Text className='seat__name'>{m.nickname}</Text>
          {m.role === 'captain' ? <Text className='seat__badge'>{S.team.captain}</Text> : null}
        </View>
      ))}
      {Array.from({ length: empty }, (_, i) =>
        invite ? (
          <View className='seat' key={`empty-${i}`}>
            <ShareTrigger share={invite} className='seat__plus'>
              +
            </ShareTrigger>
            <Text className='seat__name seat__name--invite'>{S.team.emptySeat}</Text>
          </View>
        ) : (
          <View className='seat' key={`empty-${i}`}>
            <View className='seat__plus seat__plus--idle'>
              <Text>+</Text>
            </View>
            <Text className='seat__name'>{S.team.waiting}</Text>
          </View>
        ),
      )}
    </View>
  );
}

export default function TeamPage() {
  const id = useRouter().params.id ?? '';
  const team = useResource(id ? () => api.team(id) : null, id);
  const me = useResource(() => api.me(), 'me');
  const t = team.data;
  const isMember = !!(t && me.data && t.members.some((m) => m.id === me.data!.id));
  const cards = useShareCard(isMember && t ? t.campaignId : null, ['team']);
  const invite = useShare({ kind: 'team', me: me.data, card: () => cards.get('team') });

  usePageRefresh(() => Promise.all([team.reload(), me.reload()]));

  const body = () => {
    // No id: a link cut short. Nothing to retry, only the way home.
    if (!id) return <ErrorState failure={{ message: S.team.notFound, code: null, retryable: false }} />;
    if (team.loading) return <Loading />;
    if (!t) return <ErrorState failure={team.error ?? { message: S.common.unknownError, code: null, retryable: true }} onRetry={team.reload} />;
    const canInvite = isMember && t.seatsLeft > 0;
    return (
      <View>
        <View className='hero team__hero'>
          <Text className='hero__title'>{t.name}</Text>
          <Text className='hero__sub'>{S.team.rank(t.rank)}</Text>
          <View className={`team__seats-left ${t.seatsLeft > 0 ? '' : 'team__seats-left--full'}`}>
            <Text className='team__seats-big'>{t.seatsLeft > 0 ? S.team.seatsLeft(t.seatsLeft) : S.team.full}</Text>
            {t.seatsLeft > 0 ? <Text className='team__seats-hint'>{S.team.seatsLeftHint}</Text> : null}
          </View>
        </View>
        <View className='card team__energy'>
          <ProgressBar label={S.home.teamEnergy} energy={t.energy} />
        </View>
        {/* Below the energy card, which overlaps the hero. */}
        <ContentNotice me={me.data} team={me.data && t.captainId === me.data.id ? t : null} onChanged={() => void Promise.all([team.reload(), me.reload()])} />
        <View className='card'>
          <Seats team={t} invite={canInvite ? invite : null} />
          {canInvite ? (
            <View className='share'>
              <ShareTrigger share={invite} className='btn btn--primary btn--block share-btn'>
                {invite.busy ? S.common.loading : S.team.invite}
              </ShareTrigger>
              {invite.result}
            </View>
          ) : null}
        </View>
        <View className='card'>
          {t.members.map((m) => (
            <View className='team__member' key={m.id}>
              <Avatar url={m.avatarUrl} name={m.nickname} />
              <View className='team__member-main'>
                <Text className='team__member-name'>{m.nickname}</Text>
                <Text className='team__member-role'>{m.role === 'captain' ? S.team.captain : S.team.member}</Text>
              </View>
              <Text className='team__member-energy'>{S.team.memberEnergy(m.energy)}</Text>
            </View>
          ))}
        </View>
      </View>
    );
  };

  return (
    <PageShell name='team'>
      {body()}
    </PageShell>
  );
}
