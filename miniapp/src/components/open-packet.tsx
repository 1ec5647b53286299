import { Button, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { rewardYuan } from '../logic/red-packets';
import { RP } from '../strings';

export interface OpenedPacket {
  tier: number;
  energy: number;
  amount: number;
  /** A coupon rung's 拼团券 rather than cash to the wallet. */
  coupon?: boolean;
}

/**
 * The "open the packet" moment after a claim: a sealed red envelope whose 開 button spins when
 * tapped, then the envelope opens on the amount. Closing it (or "view mine") hands control back.
 */
export function OpenPacket({ packet, onClose, onViewMine }: { packet: OpenedPacket; onClose: () => void; onViewMine?: () => void }) {
  const tierLine = packet.coupon ? RP.coupon.openTierLine : RP.open.tierLine;
  const [phase, setPhase] = useState<'sealed' | 'opening' | 'open'>('sealed');
  const open = () => {
    if (phase !== 'sealed') return;
    setPhase('opening');
    setTimeout(() => setPhase('open'), 700);
  };
  return (
    <View className='rp-open' catchMove>
      <View className='rp-open__mask' onClick={phase === 'open' ? onClose : undefined} />
      <View className={`rp-open__packet rp-open__packet--${phase}`}>
        <View className='rp-open__flap' />
        {phase === 'open' ? (
          <View className='rp-open__inside'>
            <Text className='rp-open__title'>{packet.coupon ? RP.coupon.openTitle : RP.open.title}</Text>
            <View className='rp-open__amount-row'>
              <Text className='rp-open__amount'>{rewardYuan(packet.amount, !!packet.coupon)}</Text>
              <Text className='rp-open__unit'>{packet.coupon ? RP.coupon.unit : RP.open.amountUnit}</Text>
            </View>
            <Text className='rp-open__line'>{tierLine(packet.tier, packet.energy)}</Text>
            <Text className='rp-open__line'>{packet.coupon ? RP.coupon.openDelivery : RP.open.delivery}</Text>
            <Button className='btn btn--block rp-open__done' onClick={onClose}>
              {RP.open.done}
            </Button>
            {onViewMine ? (
              <Text className='rp-open__link' onClick={onViewMine}>
                {packet.coupon ? RP.coupon.viewMine : RP.open.viewMine}
              </Text>
            ) : null}
          </View>
        ) : (
          <View className='rp-open__sealed'>
            <Text className='rp-open__title'>{tierLine(packet.tier, packet.energy)}</Text>
            <View className={`rp-open__coin${phase === 'opening' ? ' rp-open__coin--spin' : ''}`} onClick={open}>
              <Text className='rp-open__coin-text'>{RP.open.tap}</Text>
            </View>
            <Text className='rp-open__hint'>{RP.open.tapHint}</Text>
          </View>
        )}
      </View>
    </View>
  );
}
