import { Text, View } from '@tarojs/components';
import { PageShell } from '../../../components/page-shell';
import { ErrorState, Loading } from '../../../components/state-view';
import { useCampaignId } from '../../../hooks/use-campaign-id';
import { useResource } from '../../../hooks/use-resource';
import { formatDateTime } from '../../../logic/format';
import { packetYuan } from '../../../logic/money';
import { api } from '../../../services/client';
import { RP } from '../../../strings';
import './index.scss';

function Section({ title, lines }: { title: string; lines: (string | null)[] }) {
  return (
    <View className='card rules__section'>
      <Text className='card__title'>{title}</Text>
      {lines.filter((l): l is string => l !== null).map((l) => (
        <Text className='rules__line' key={l}>
          {l}
        </Text>
      ))}
    </View>
  );
}

/** Every rule of the campaign in plain Chinese, read from the campaign's own rules, so the page never disagrees with the server. */
export default function RulesPage() {
  const campaign = useCampaignId();
  const id = campaign.id;
  const detail = useResource(id ? () => api.campaign(id) : null, id ?? '');
  const rp = useResource(id ? () => api.redPackets(id) : null, id ?? '');

  const body = () => {
    const error = campaign.error ?? detail.error ?? rp.error;
    if (error && !(detail.data && rp.data)) return <ErrorState failure={error} onRetry={() => void Promise.all([detail.reload(), rp.reload()])} />;
    if (!detail.data || !rp.data) return <Loading />;
    const r = detail.data.rules;
    const red = rp.data;
    const R = RP.rules;
    return (
      <View>
        <Section title={R.time} lines={[R.timeLine(formatDateTime(detail.data.startsAt), formatDateTime(detail.data.endsAt))]} />
        <Section
          title={R.energy}
          lines={[R.like(r.likeEnergy), r.firstLikeMultiplier > 1 ? R.newLiker(r.firstLikeMultiplier, r.likeEnergy * r.firstLikeMultiplier) : null, R.noShareReward]}
        />
        <Section title={R.caps} lines={[R.dailyCap(r.dailyLikeCap), r.sharerDailyLikeCap ? R.sharerCap(r.sharerDailyLikeCap) : null]} />
        <Section title={R.team} lines={[R.teamSize(r.teamSizeLimit), r.teammateLikes === 'allowed' ? R.teammateAllowed : R.teammateRefused]} />
        {red.tiers.length > 0 ? (
          <Section
            title={R.tiers}
            lines={[...red.tiers.map((t) => R.tierLine(t.energy, packetYuan(t.amount))), R.tiersNote(formatDateTime(red.claimDeadline))]}
          />
        ) : null}
        {red.pool.amount > 0 ? <Section title={R.pool} lines={[R.poolLine(packetYuan(red.pool.amount), red.pool.minTeamEnergy)]} /> : null}
        <Section title={R.budget} lines={[red.budget > 0 ? R.budgetLine(packetYuan(red.budget), packetYuan(red.budgetLeft)) : R.none]} />
      </View>
    );
  };

  return (
    <PageShell name='rules'>
      <View className='hero'>
        <Text className='hero__title'>{detail.data?.name ?? RP.rules.title}</Text>
        <Text className='hero__sub'>{RP.rules.title}</Text>
      </View>
      {body()}
    </PageShell>
  );
}
