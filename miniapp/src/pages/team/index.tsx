import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { Avatar } from '../../components/avatar';
import { DevUserBar } from '../../components/dev-user-bar';
import { ProgressBar } from '../../components/progress-bar';
import { ShareButton } from '../../components/share-button';
import { EmptyState, ErrorState, Loading } from '../../components/state-view';
import { usePageRefresh } from '../../hooks/use-page-refresh';
import { useResource } from '../../hooks/use-resource';
import { useShareCard } from '../../hooks/use-share-card';
import { api } from '../../services/client';
import { S } from '../../strings';
import './index.scss';

export default function TeamPage() {
  const id = useRouter().params.id ?? '';
  const team = useResource(id ? () => api.team(id) : null, id);
  const me = useResource(() => api.me(), 'me');
  const t = team.data;
  const isMember = !!(t && me.data && t.members.some((m) => m.id === me.data!.id));
  const share = useShareCard(isMember && t ? t.campaignId : null, ['team']);

  usePageRefresh(() => Promise.all([team.reload(), me.reload()]));

  const body = () => {
    if (!id) return <ErrorState message={S.common.unknownError} />;
    if (team.loading) return <Loading />;
    if (!t) return <ErrorState message={team.error ?? S.common.unknownError} onRetry={team.reload} />;
    return (
      <View>
        <View className='hero'>
          <Text className='hero__title'>{t.name}</Text>
          <Text className='hero__sub'>
            {S.team.rank(t.rank)} · {S.team.seatsLeft(t.seatsLeft)}
          </Text>
        </View>
        <View className='card team__energy'>
          <ProgressBar label={S.home.teamEnergy} energy={t.energy} />
          {isMember && t.seatsLeft > 0 ? (
            <ShareButton kind='team' label={S.team.invite} me={me.data} getCard={share.get} />
          ) : null}
        </View>
        <View className='card'>
          {t.members.length === 0 ? <EmptyState text={S.team.empty} /> : null}
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
    <View className='page team'>
      <DevUserBar />
      {body()}
    </View>
  );
}
