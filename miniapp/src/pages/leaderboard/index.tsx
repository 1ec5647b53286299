import type { LeaderboardBy, LeaderboardEntry } from '@jizan/shared';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { DevUserBar } from '../../components/dev-user-bar';
import { EmptyState, ErrorState, Loading } from '../../components/state-view';
import { useCampaignId } from '../../hooks/use-campaign-id';
import { usePageRefresh } from '../../hooks/use-page-refresh';
import { useResource } from '../../hooks/use-resource';
import { api } from '../../services/client';
import { S } from '../../strings';
import './index.scss';

function Row({ entry, mine }: { entry: LeaderboardEntry; mine: boolean }) {
  return (
    <View className={`board__row ${mine ? 'board__row--mine' : ''}`}>
      <Text className={`board__rank board__rank--${Math.min(entry.rank, 4)}`}>{S.leaderboard.rank(entry.rank)}</Text>
      <Text className='board__name'>{entry.name}</Text>
      <Text className='board__energy'>{S.common.energyValue(entry.energy)}</Text>
    </View>
  );
}

export default function LeaderboardPage() {
  const campaign = useCampaignId();
  const [by, setBy] = useState<LeaderboardBy>('team');
  const id = campaign.id;
  const board = useResource(id ? () => api.leaderboard(id, by) : null, `${id ?? ''}:${by}`);

  usePageRefresh(() => Promise.all([campaign.reload(), board.reload()]));

  const body = () => {
    if (campaign.error) return <ErrorState message={campaign.error} onRetry={campaign.reload} />;
    if (board.loading || !id) return <Loading />;
    if (!board.data) return <ErrorState message={board.error ?? S.common.unknownError} onRetry={board.reload} />;
    const { entries, me } = board.data;
    if (entries.length === 0) return <EmptyState text={S.leaderboard.empty} />;
    return (
      <View className='card board__list'>
        {entries.map((e) => (
          <Row key={e.id} entry={e} mine={me?.id === e.id} />
        ))}
      </View>
    );
  };

  const me = board.data?.me ?? null;
  return (
    <View className='page board'>
      <DevUserBar />
      <View className='board__tabs'>
        {(['team', 'user'] as const).map((b) => (
          <Text key={b} className={`board__tab ${by === b ? 'board__tab--active' : ''}`} onClick={() => setBy(b)}>
            {b === 'team' ? S.leaderboard.teams : S.leaderboard.users}
          </Text>
        ))}
      </View>
      {body()}
      {board.data ? (
        <View className='board__mine'>
          <Text className='board__mine-label'>{S.leaderboard.mine}</Text>
          {me ? <Row entry={me} mine /> : <Text className='board__mine-none'>{S.leaderboard.notRanked}</Text>}
        </View>
      ) : null}
    </View>
  );
}
