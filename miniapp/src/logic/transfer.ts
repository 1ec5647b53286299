import Taro from '@tarojs/taro';
import type { TransferConfirmation } from '@jizan/shared';
import { api } from '../services/client';
import { RP } from '../strings';
import { isH5 } from '../platform';

export type ConfirmOutcome = 'confirmed' | 'cancelled' | 'failed';

type MerchantTransfer = (o: { mchId: string; appId: string; package: string; success: () => void; fail: (e: { errMsg?: string }) => void }) => void;

/**
 * 确认收款 for a red packet waiting for the user: in the chat app `requestMerchantTransfer` (base
 * library 3.3.0+, not promise-style) with what the server answers; in the H5 preview a modal of the
 * same shape asks the simulated platform, which pays and notifies. Either way the red packet learns
 * of the outcome from the platform's notification; the page reloads to show it.
 */
export async function confirmTransfer(redPacketId: string): Promise<ConfirmOutcome> {
  let c: TransferConfirmation;
  try {
    c = await api.confirmRedPacket(redPacketId);
  } catch {
    return 'failed';
  }
  if (isH5() || c.simulated) {
    const { confirm } = await Taro.showModal({ title: RP.mine.confirmTitle, content: RP.mine.confirmBody, confirmText: RP.mine.confirm });
    if (!confirm) return 'cancelled';
    try {
      await api.confirmTransferSimulated({ mchId: c.mchId, appId: c.appId, package: c.package });
      return 'confirmed';
    } catch {
      return 'failed';
    }
  }
  const call = (Taro as unknown as { requestMerchantTransfer?: MerchantTransfer }).requestMerchantTransfer ??
    (globalThis as unknown as { wx?: { requestMerchantTransfer?: MerchantTransfer } }).wx?.requestMerchantTransfer;
  if (!call) return 'failed';
  return new Promise((resolve) =>
    call({
      mchId: c.mchId,
      appId: c.appId,
      package: c.package,
      success: () => resolve('confirmed'),
      fail: (e) => resolve(/cancel/.test(e?.errMsg ?? '') ? 'cancelled' : 'failed'),
    }),
  );
}
