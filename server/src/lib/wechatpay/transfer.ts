import { decryptResource } from './aead.js';
import type { CallOptions, WechatPayClient } from './client.js';
import { WechatPayApiError, WechatPayProtocolError } from './errors.js';
import type { IncomingNotification, NotificationEnvelope } from './notification.js';
import { signedHeadersOf } from './verify.js';

/**
 * 商家转账 in the user-confirm flow (API v3, 普通商户): the merchant asks for a transfer, the
 * platform answers WAIT_USER_CONFIRM with a `package_info`, the user confirms it in the
 * mini-program (wx.requestMerchantTransfer), and MCHTRANSFER.BILL.FINISHED tells the end state.
 * Built on the pay client's signing, verification and decryption; the only extra configuration is
 * the transfer scene (转账场景, e.g. 1000 现金营销) with its report fields.
 *
 * The platform's rule that matters most: an answer other than 200 says nothing about the bill, so
 * never retry under a new out_bill_no until a query of the old one says FAIL or CANCELLED.
 */

export type TransferBillState =
  | 'ACCEPTED'
  | 'PROCESSING'
  | 'WAIT_USER_CONFIRM'
  | 'TRANSFERING'
  | 'SUCCESS'
  | 'FAIL'
  | 'CANCELING'
  | 'CANCELLED';

export interface TransferSceneReportInfo {
  /** e.g. 活动名称, 奖励说明 for scene 1000 (现金营销). */
  info_type: string;
  info_content: string;
}

export interface TransferBillRequest {
  appid: string;
  out_bill_no: string;
  transfer_scene_id: string;
  openid: string;
  transfer_amount: number;
  /** Seen by the user; at most 32 characters. */
  transfer_remark: string;
  notify_url?: string;
  user_recv_perception?: string;
  transfer_scene_report_infos: TransferSceneReportInfo[];
}

export interface TransferBillAnswer {
  out_bill_no: string;
  transfer_bill_no: string;
  create_time: string;
  state: TransferBillState;
  fail_reason?: string;
  package_info?: string;
}

export interface TransferBill {
  mch_id: string;
  out_bill_no: string;
  transfer_bill_no: string;
  appid: string;
  state: TransferBillState;
  transfer_amount: number;
  transfer_remark: string;
  fail_reason?: string;
  openid?: string;
  create_time: string;
  update_time: string;
}

export interface TransferCancelAnswer {
  out_bill_no: string;
  transfer_bill_no: string;
  state: 'CANCELING' | 'CANCELLED';
  update_time: string;
}

/** The decrypted resource of MCHTRANSFER.BILL.FINISHED. */
export interface TransferBillNotice {
  out_bill_no: string;
  transfer_bill_no: string;
  state: 'SUCCESS' | 'FAIL' | 'CANCELLED';
  mch_id: string;
  transfer_amount: number;
  openid?: string;
  fail_reason?: string;
  create_time: string;
  update_time: string;
}

export const TRANSFER_FINISHED_EVENT = 'MCHTRANSFER.BILL.FINISHED';
export const OUT_BILL_NO = /^[0-9A-Za-z]{5,32}$/;

export class TransferClient {
  constructor(
    readonly pay: WechatPayClient,
    private readonly o: { apiV3Key: string | Buffer; sceneId: string; notifyUrl: string; now?: () => Date },
  ) {}

  get mchid(): string {
    return this.pay.mchid;
  }

  get appid(): string {
    return this.pay.appid;
  }

  /** Asking again with the same out_bill_no answers the same bill (the platform's idempotency). */
  async create(
    input: Omit<TransferBillRequest, 'appid' | 'transfer_scene_id' | 'notify_url'>,
    opts?: CallOptions,
  ): Promise<TransferBillAnswer> {
    const body: TransferBillRequest = { appid: this.pay.appid, transfer_scene_id: this.o.sceneId, notify_url: this.o.notifyUrl, ...input };
    const { data } = await this.pay.request<TransferBillAnswer>('POST', '/v3/fund-app/mch-transfer/transfer-bills', body, opts);
    if (!data?.state || data.out_bill_no !== input.out_bill_no) throw new WechatPayProtocolError('the transfer answer has no state or names another bill');
    return data;
  }

  /** Null when the platform never saw the number (404 NOT_FOUND): nothing was transferred under it. */
  async query(outBillNo: string, opts?: CallOptions): Promise<TransferBill | null> {
    try {
      const path = `/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/${encodeURIComponent(outBillNo)}`;
      return (await this.pay.request<TransferBill>('GET', path, undefined, opts)).data;
    } catch (e) {
      if (e instanceof WechatPayApiError && e.status === 404) return null;
      throw e;
    }
  }

  /** Only before the user confirmed; the answer (CANCELING or CANCELLED) is confirmed by a query. */
  async cancel(outBillNo: string, opts?: CallOptions): Promise<TransferCancelAnswer> {
    const path = `/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/${encodeURIComponent(outBillNo)}/cancel`;
    return (await this.pay.request<TransferCancelAnswer>('POST', path, undefined, opts)).data;
  }

  /** Verifies and decrypts MCHTRANSFER.BILL.FINISHED; throws as openNotification does (answer with answerFor). */
  openNotification(n: IncomingNotification): TransferBillNotice {
    this.pay.verifier.verify(signedHeadersOf(n.headers), n.rawBody, (this.o.now ?? (() => new Date()))());
    let env: NotificationEnvelope;
    try {
      env = JSON.parse(n.rawBody) as NotificationEnvelope;
    } catch {
      throw new WechatPayProtocolError('the notification body is not JSON');
    }
    if (!env?.resource || env.event_type !== TRANSFER_FINISHED_EVENT) {
      throw new WechatPayProtocolError(`unexpected event_type ${String(env?.event_type)}`);
    }
    let bill: TransferBillNotice;
    try {
      bill = JSON.parse(decryptResource(this.o.apiV3Key, env.resource)) as TransferBillNotice;
    } catch (e) {
      if (e instanceof SyntaxError) throw new WechatPayProtocolError('the decrypted resource is not JSON');
      throw e;
    }
    if (typeof bill?.out_bill_no !== 'string' || !['SUCCESS', 'FAIL', 'CANCELLED'].includes(bill.state)) {
      throw new WechatPayProtocolError('the transfer notice has no out_bill_no or end state');
    }
    return bill;
  }
}
