import type { LeaderboardBy, LeaderboardEntry, MyLeaderboardEntry } from '@jizan/shared';
import { Button, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { Avatar } from '../../components/avatar';
import { PageShell } from '../../components/page-shell';
import { EmptyState, ErrorState, goHome, Loading } from '../../components/state-view';
import { useCampaignId } from '../../hooks/use-campaign-id';
import { usePageRefresh } from '../../hooks/use-page-refresh';
import { useResource } from '../../hooks/use-resource';
import { api } from '../../services/client';
import { S } from '../../strings';
import './index.scss';

/** One row, the same in the list and pinned at the bottom, so the pinned one lines up with the list. */
function Row({ entry, mine, gap }: { entry: LeaderboardEntry; mine: boolean; gap?: string }) {
  return (
    <View className={`board__row ${mine ? 'board__row--mine' : ''}`}>
      <Text className={`board__rank board__rank--${Math.min(entry.rank, 4)}`}>{S.leaderboard.rank(entry.rank)}</Text>
      <Avatar url={entry.avatarUrl} name={entry.name} size='sm' />
      <View className='board__main'>
        <Text className='board__name'>{entry.name}</Text>
        {gap ? <Text className='board__gap'>{gap}</Text> : null}
      </View>
      <Text className='board__energy'>{S.common.energyValue(entry.energy)}</Text>
    </View>
  );
}

function gapText(me: MyLeaderboardEntry): string {
  return me.gapToPrevious === null ? S.leaderboard.first : S.leaderboard.gap(me.gapToPrevious);
}

export default function LeaderboardPage() {
  const campaign = useCampaignId();
  const [by, setBy] = useState<LeaderboardBy>('team');
  const id = campaign.id;
  const board = useResource(id ? () => api.leaderboard(id, by) : null, `${id ?? ''}:${by}`);

  usePageRefresh(() => Promise.all([campaign.reload(), board.reload()]));

  // Both ways on lead home: the team form and the share buttons live there.
  const wayOnLabel = by === 'team' ? S.leaderboard.createTeam : S.leaderboard.invite;

  const body = () => {
    if (campaign.error) return <ErrorState failure={campaign.error} onRetry={campaign.reload} />;
    if (board.loading || !id) return <Loading />;
    if (!board.data) return <ErrorState failure={board.error ?? { message: S.common.unknownError, code: null, retryable: true }} onRetry={board.reload} />;
    const { entries, me } = board.data;
    if (entries.length === 0) {
      return (
        <EmptyState text={by === 'team' ? S.leaderboard.emptyTeams : S.leaderboard.emptyUsers} icon='🏆'>
          <Button className='btn btn--primary state__action' onClick={goHome}>
            {wayOnLabel}
          </Button>
        </EmptyState>
      );
    }
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
    <PageShell name='board'>
      <View className='board__tabs'>
        {(['team', 'user'] as const).map((b) => (
          <Text key={b} className={`board__tab ${by === b ? 'board__tab--active' : ''}`} onClick={() => setBy(b)}>
            {b === 'team' ? S.leaderboard.teams : S.leaderboard.users}
          </Text>
        ))}
      </View>
      {body()}
      {board.data && board.data.entries.length > 0 ? (
        <View className='board__mine'>
          <View className='board__mine-inner'>
            <Text className='board__mine-label'>{S.leaderboard.mine}</Text>
            {me ? (
              <Row entry={me} mine gap={gapText(me)} />
            ) : (
              <View className='board__mine-none'>
                <Text>{by === 'team' ? S.leaderboard.notRankedTeam : S.leaderboard.notRanked}</Text>
                <Text className='board__mine-link' onClick={goHome}>
                  {wayOnLabel} ›
                </Text>
              </View>
            )}
          </View>
        </View>
      ) : null}
    </PageShell>
  );
}
