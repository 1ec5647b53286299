import { randomBytes } from 'node:crypto';
import type { IncomingNotification } from '../../lib/wechatpay/notification.js';
import type { TransferBillState, TransferClient } from '../../lib/wechatpay/transfer.js';

/**
 * The port cash leaves through: the chat platform's merchant transfer (商家转账) in its
 * user-confirm flow. What an integration must honour:
 *
 * - `outBillNo` is the idempotency key: asking twice moves money once and answers the first bill.
 *   A thrown error means "outcome unknown": the caller asks `query` under the same number later and
 *   never moves to a new number until the old one is known `cancelled` (or `fail`).
 * - A transfer is not paid when accepted: it waits (`wait_user_confirm`) until the user confirms
 *   it with `packageInfo` in the mini-program, then ends `success`, `fail` or `cancelled`.
 */
export type TransferState = 'transferring' | 'wait_user_confirm' | 'cancelling' | 'success' | 'fail' | 'cancelled';

export interface TransferRequest {
  /** 32 letters and digits, unique per attempt. */
  outBillNo: string;
  openid: string;
  /** Integer fen, > 0. */
  amount: number;
  /** What the user's wallet shows (≤ 32 characters), e.g. "集赞红包". */
  remark: string;
  /** The scene's report fields: 活动名称 and 奖励说明. */
  activity: string;
  rewardNote: string;
}

export type TransferOutcome =
  | { state: Exclude<TransferState, 'fail'>; packageInfo: string | null; transferBillNo: string | null }
  | { state: 'fail'; reason: string; transferBillNo: string | null };

/** The platform refused the request itself (a 4xx): nothing exists under the number. */
export class TransferRefused extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export interface PayoutProvider {
  /** Recorded with each transfer, so operators know where to look it up. */
  readonly name: string;
  /** What requestMerchantTransfer needs besides the package. */
  readonly mchId: string;
  readonly appId: string;
  transfer(req: TransferRequest): Promise<TransferOutcome>;
  /** Null: the platform never saw the number. */
  query(outBillNo: string): Promise<TransferOutcome | null>;
  cancel(outBillNo: string): Promise<TransferOutcome>;
  /** A verified MCHTRANSFER.BILL.FINISHED; throws as openNotification does. */
  openNotification(n: IncomingNotification): Promise<{ outBillNo: string; outcome: TransferOutcome }>;
}

/** The platform's bill state as ours (ACCEPTED and PROCESSING and TRANSFERING are all "on its way"). */
export function transferStateOf(s: TransferBillState): TransferState {
  switch (s) {
    case 'WAIT_USER_CONFIRM':
      return 'wait_user_confirm';
    case 'SUCCESS':
      return 'success';
    case 'FAIL':
      return 'fail';
    case 'CANCELING':
      return 'cancelling';
    case 'CANCELLED':
      return 'cancelled';
    default:
      return 'transferring';
  }
}

function outcomeOf(b: { state: TransferBillState; package_info?: string; transfer_bill_no?: string; fail_reason?: string }): TransferOutcome {
  const state = transferStateOf(b.state);
  const transferBillNo = b.transfer_bill_no ?? null;
  if (state === 'fail') return { state, reason: b.fail_reason ?? 'FAIL', transferBillNo };
  return { state, packageInfo: state === 'wait_user_confirm' ? (b.package_info ?? null) : null, transferBillNo };
}

/** The merchant transfer on WeChat Pay (or its simulator: the same client, pointed elsewhere). */
export function wechatTransferProvider(client: TransferClient, name = 'wechatpay'): PayoutProvider {
  return {
    name,
    mchId: client.mchid,
    appId: client.appid,
    async transfer(req) {
      try {
        const a = await client.create({
          out_bill_no: req.outBillNo,
          openid: req.openid,
          transfer_amount: req.amount,
          transfer_remark: [...req.remark].slice(0, 32).join(''),
          user_recv_perception: '活动奖励',
          transfer_scene_report_infos: [
            { info_type: '活动名称', info_content: req.activity.slice(0, 32) },
            { info_type: '奖励说明', info_content: req.rewardNote.slice(0, 32) },
          ],
        });
        return outcomeOf(a);
      } catch (e) {
        const err = e as { status?: number; code?: string; message?: string; name?: string };
        // A signed 4xx is the platform refusing the request; everything else is "unknown".
        if (err.name === 'WechatPayApiError' && typeof err.status === 'number' && err.status >= 400 && err.status < 500 && err.status !== 429) {
          throw new TransferRefused(err.code ?? 'HTTP_' + err.status, err.message ?? 'refused');
        }
        throw e;
      }
    },
    async query(outBillNo) {
      const b = await client.query(outBillNo);
      return b ? outcomeOf(b) : null;
    },
    async cancel(outBillNo) {
      const a = await client.cancel(outBillNo);
      return outcomeOf({ state: a.state, transfer_bill_no: a.transfer_bill_no });
    },
    async openNotification(n) {
      const bill = client.openNotification(n);
      return { outBillNo: bill.out_bill_no, outcome: outcomeOf(bill) };
    },
  };
}

/** A fresh out-bill number: 32 hex characters. */
export function newOutBillNo(): string {
  return randomBytes(16).toString('hex');
}
