import type { CampaignRedPackets } from '@jizan/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { useResource } from '../hooks/use-resource';
import { useAction } from '../hooks/use-action';
import { formatDateTime } from '../logic/format';
import { couponTerms, isCouponRung, ladderFill, rewardYuan, rungState } from '../logic/red-packets';
import { packetYuan } from '../logic/money';
import { pageUrl } from '../page-paths';
import { api } from '../services/client';
import { errorMessage } from '../services/error-message';
import { RP } from '../strings';
import { OpenPacket, type OpenedPacket } from './open-packet';
import { ErrorState, Loading } from './state-view';
import { askSubscribe, prefetchSubscriptions } from '../logic/subscribe';

function nextHint(next: NonNullable<CampaignRedPackets['nextTier']>, coupon: boolean): string {
  return (coupon ? RP.coupon.ladderHint : RP.ladderHint)(next.energyMissing, rewardYuan(next.amount, coupon));
}

/** The team prize pool: what it will split before the end, my share (or none) after settlement. */
function PoolResult({ pool }: { pool: CampaignRedPackets['pool'] }) {
  if (pool.amount <= 0) return null;
  const line = () => {
    if (pool.settled) return pool.mine ? RP.pool.mine(packetYuan(pool.mine.amount)) : RP.pool.none;
    return null;
  };
  return (
    <View className={`rp-pool${pool.settled ? ' rp-pool--settled' : ''}`}>
      <Text className='rp-pool__title'>{RP.pool.title}</Text>
      {pool.settled ? (
        <View>
          <Text className={`rp-pool__mine${pool.mine ? '' : ' rp-pool__mine--none'}`}>{line()}</Text>
          <Text className='rp-pool__sub'>{RP.pool.paid(packetYuan(pool.paid))}</Text>
        </View>
      ) : (
        <Text className='rp-pool__sub'>
          {pool.minTeamEnergy > 0 ? RP.pool.before(packetYuan(pool.amount), pool.minTeamEnergy) : RP.pool.beforeNoMin(packetYuan(pool.amount))}
        </Text>
      )}
    </View>
  );
}

/**
 * The campaign's red-packet ladder on the home page: each rung's threshold and amount, which are
 * reached and claimed, a claim button on the claimable ones (one claim in flight at a time), the
 * open-packet moment after a claim, and the pool with its result after settlement. It loads its own
 * data and reloads whenever the page's energy figure changes, so the page only places it.
 */
export function RedPacketLadder({ campaignId, energy, ended }: { campaignId: string; energy: number; ended: boolean }) {
  const rp = useResource(() => api.redPackets(campaignId), campaignId);
  const [opened, setOpened] = useState<OpenedPacket | null>(null);
  const { reload } = rp;

  useEffect(() => {
    void reload();
  }, [energy, ended, reload]);
  useEffect(() => void prefetchSubscriptions(), []);

  // A second tap while a claim is in flight sends nothing; `pending` names the tier for its label.
  const claim = useAction(async (tier: number, energyNeeded: number) => {
    // Asked inside the tap, beside the claim (the sheet needs the tap; the claim never waits for it).
    askSubscribe('after_claim');
    try {
      const res = await api.claimRedPacket(campaignId, tier);
      setOpened({ tier, energy: energyNeeded, amount: res.redPacket?.amount ?? res.coupon?.amountOff ?? 0, coupon: !!res.coupon });
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' });
    } finally {
      await reload();
    }
  });

  if (rp.loading) return <Loading />;
  if (rp.error && !rp.data) return <ErrorState failure={rp.error} onRetry={rp.reload} />;
  const d = rp.data;
  if (!d) return null;

  const onClaim = (tier: number, energyNeeded: number) => void claim.run(tier, energyNeeded);

  const fill = `${Math.round(ladderFill(d.energy, d.tiers) * 100)}%`;
  const foot = () => {
    if (!d.claimOpen) return RP.claimClosed;
    if (d.budget > 0 && d.budgetLeft <= 0) return RP.budgetGone;
    return `${RP.budgetLeft(packetYuan(d.budgetLeft))} · ${RP.claimUntil(formatDateTime(d.claimDeadline))}`;
  };

  return (
    <View className='card rp-ladder'>
      <View className='rp-ladder__head'>
        <Text className='card__title'>{RP.title}</Text>
        <Text className='rp-ladder__energy'>{RP.myEnergy(d.energy)}</Text>
      </View>
      {d.tiers.length === 0 ? (
        <Text className='card__sub'>{RP.ladderEmpty}</Text>
      ) : (
        <View>
          <Text className='rp-ladder__hint'>
            {d.nextTier ? nextHint(d.nextTier, isCouponRung(d.tiers[d.nextTier.tier - 1])) : RP.ladderTop}
          </Text>
          <View className='rp-ladder__track'>
            <View className='rp-ladder__fill' style={{ width: fill }} />
          </View>
          {d.tiers.map((t) => {
            const state = rungState(t);
            return (
              <View className={`rp-rung rp-rung--${state}${isCouponRung(t) ? ' rp-rung--coupon' : ''}`} key={t.tier}>
                <View className='rp-rung__packet'>
                  <Text className='rp-rung__amount'>{rewardYuan(t.amount, isCouponRung(t))}</Text>
                  <Text className='rp-rung__unit'>{isCouponRung(t) ? RP.coupon.unit : RP.yuanUnit}</Text>
                </View>
                <View className='rp-rung__main'>
                  <Text className='rp-rung__energy'>{RP.rungEnergy(t.energy)}</Text>
                  {t.coupon ? <Text className='rp-rung__terms'>{couponTerms(t.coupon.minSpend)}</Text> : null}
                  <Text className='rp-rung__state'>
                    {state === 'claimed' ? RP.claimed : state === 'locked' ? RP.locked(t.energy - d.energy) : state === 'reached' ? RP.unavailable : ''}
                  </Text>
                </View>
                {state === 'claimable' ? (
                  <Button
                    className='btn btn--primary rp-rung__claim'
                    disabled={claim.busy || undefined}
                    onClick={() => void onClaim(t.tier, t.energy)}
                  >
                    {claim.pending?.[0] === t.tier ? RP.claiming : RP.claim}
                  </Button>
                ) : (
                  <Text className={`rp-rung__badge rp-rung__badge--${state}`}>
                    {state === 'claimed' ? '✓' : state === 'locked' ? '🔒' : '—'}
                  </Text>
                )}
              </View>
            );
          })}
          <Text className='rp-ladder__foot'>{foot()}</Text>
        </View>
      )}
      <PoolResult pool={d.pool} />
      <View className='rp-ladder__links'>
        <Text className='rp-ladder__link' onClick={() => void Taro.navigateTo({ url: pageUrl.rules(campaignId) })}>
          {RP.rulesLink}
        </Text>
        <Text className='rp-ladder__link' onClick={() => void Taro.navigateTo({ url: pageUrl.redPackets(campaignId) })}>
          {RP.myRedPacketsLink}
        </Text>
      </View>
      {opened ? (
        <OpenPacket
          packet={opened}
          onClose={() => setOpened(null)}
          onViewMine={() => {
            const coupon = opened.coupon;
            setOpened(null);
            // A coupon is spent on a group buy: its "view" goes where it can be used.
            void Taro.navigateTo({ url: coupon ? pageUrl.products(campaignId) : pageUrl.redPackets(campaignId) });
          }}
        />
      ) : null}
    </View>
  );
}
