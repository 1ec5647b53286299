import type { Order, PaymentRequest } from '@jizan/shared';
import Taro from '@tarojs/taro';
import { isH5 } from '../platform';
import { api } from '../services/client';
import { S } from '../strings';
import { formatDateTime } from './format';
import { priceYuan } from './money';

export type PayOutcome = 'paid' | 'cancelled' | 'failed';

/** The chat app's answer to requestPayment: a buyer who closed the sheet says `cancel`; anything else failed. */
export function outcomeOfPayError(e: unknown): PayOutcome {
  const msg = (e as { errMsg?: string } | null)?.errMsg ?? '';
  return /cancel/i.test(msg) ? 'cancelled' : 'failed';
}

/**
 * Opens the platform's pay sheet for an order. In the chat app it is `requestPayment` with the
 * server-signed parameters as they are; in the H5 preview a sheet of the same shape asks the
 * simulated platform, which checks paySign and pays. Either way the group learns of the payment
 * from the platform's notification, not from this answer.
 */
export async function paySheet(payment: PaymentRequest, amount: number): Promise<PayOutcome> {
  if (isH5()) {
    const { confirm } = await Taro.showModal({
      title: S.groupbuy.simulatedSheetTitle,
      content: S.groupbuy.simulatedSheetBody(priceYuan(amount)),
      confirmText: S.groupbuy.simulatedSheetPay,
    });
    if (!confirm) return 'cancelled';
    try {
      await api.paySimulated(payment.params);
      return 'paid';
    } catch {
      return 'failed';
    }
  }
  try {
    await Taro.requestPayment({ ...payment.params, signType: 'RSA' });
    return 'paid';
  } catch (e) {
    return outcomeOfPayError(e);
  }
}

/** Pays an order if it still waits for money, and tells the buyer how it went. */
export async function payForOrder(order: Pick<Order, 'id' | 'amount' | 'payDeadline' | 'payment'>): Promise<PayOutcome> {
  const payment = order.payment ?? (await api.payOrder(order.id)).payment;
  if (!payment) return 'paid';
  const outcome = await paySheet(payment, order.amount);
  const title =
    outcome === 'paid' ? S.groupbuy.paid : outcome === 'cancelled' ? S.groupbuy.payCancelled(formatDateTime(order.payDeadline)) : S.groupbuy.payFailed;
  void Taro.showToast({ title, icon: outcome === 'paid' ? 'success' : 'none', duration: 2500 });
  return outcome;
}
