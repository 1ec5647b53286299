import { randomBytes, randomInt } from 'node:crypto';
import type { TransferBill, TransferBillRequest, TransferBillState } from '../../lib/wechatpay/transfer.js';
import { OUT_BILL_NO, TRANSFER_FINISHED_EVENT } from '../../lib/wechatpay/transfer.js';
import { beijingTime } from './ledger.js';
import type { Delivery } from './notifier.js';
import type { Answer, SimExtension, WechatPaySimulator } from './simulator.js';

/**
 * The merchant transfer (商家转账, user-confirm flow) of the simulated platform: bills by
 * out_bill_no moving WAIT_USER_CONFIRM → SUCCESS (the user confirmed) | CANCELLED (the merchant
 * cancelled, or nobody confirmed in time) | FAIL, an idempotent create (the same number and fields
 * answer the same bill; other fields are refused), the query and cancel paths, and
 * MCHTRANSFER.BILL.FINISHED sent encrypted and signed through the simulator's notifier (so its
 * faults, drop included, apply). Faults on the API are the simulator's `faults` (timeout, 5xx,
 * applied-then-failed). `neverConfirm` is the user who never confirms: confirm() refuses them.
 */

export interface SimTransferBill {
  request: TransferBillRequest;
  transferBillNo: string;
  packageInfo: string;
  state: TransferBillState;
  createdAt: Date;
  updatedAt: Date;
  failReason?: string;
}

const answer = (status: number, body?: unknown): Answer => ({ status, body });
const refuse = (status: number, code: string, message: string) => answer(status, { code, message });

export class SimTransfers implements SimExtension {
  readonly bills = new Map<string, SimTransferBill>();
  /** Openids that never confirm (their transfer stays WAIT_USER_CONFIRM until cancelled). */
  readonly neverConfirm = new Set<string>();
  /** Openids the platform refuses at confirm time (FAIL, e.g. 实名校验不通过). */
  readonly failOnConfirm = new Set<string>();

  constructor(private readonly sim: WechatPaySimulator, private readonly now: () => Date) {
    sim.extensions.push(this);
  }

  /** The transfers of a simulator, added to it on first use. */
  static of(sim: WechatPaySimulator, now: () => Date = () => new Date()): SimTransfers {
    return (sim.extensions.find((x) => x instanceof SimTransfers) as SimTransfers | undefined) ?? new SimTransfers(sim, now);
  }

  view(b: SimTransferBill): TransferBill {
    return {
      mch_id: this.sim.keys.mchid,
      out_bill_no: b.request.out_bill_no,
      transfer_bill_no: b.transferBillNo,
      appid: b.request.appid,
      state: b.state,
      transfer_amount: b.request.transfer_amount,
      transfer_remark: b.request.transfer_remark,
      openid: b.request.openid,
      create_time: beijingTime(b.createdAt),
      update_time: beijingTime(b.updatedAt),
      ...(b.failReason ? { fail_reason: b.failReason } : {}),
    };
  }

  route(method: string, path: string, json: unknown, now: Date): Answer | null {
    let m: RegExpMatchArray | null;
    if (method === 'POST' && path === '/v3/fund-app/mch-transfer/transfer-bills') return this.create(json as TransferBillRequest, now);
    if (method === 'GET' && (m = path.match(/^\/v3\/fund-app\/mch-transfer\/transfer-bills\/out-bill-no\/([^/]+)$/))) {
      const b = this.bills.get(decodeURIComponent(m[1]!));
      return b ? answer(200, this.view(b)) : refuse(404, 'NOT_FOUND', '记录不存在');
    }
    if (method === 'POST' && (m = path.match(/^\/v3\/fund-app\/mch-transfer\/transfer-bills\/out-bill-no\/([^/]+)\/cancel$/))) {
      const b = this.bills.get(decodeURIComponent(m[1]!));
      if (!b) return refuse(404, 'NOT_FOUND', '记录不存在');
      if (b.state === 'CANCELLED') return answer(200, this.cancelView(b));
      if (b.state !== 'WAIT_USER_CONFIRM' && b.state !== 'ACCEPTED') return refuse(400, 'INVALID_REQUEST', `单据状态为${b.state}，不允许撤销`);
      this.finish(b, 'CANCELLED', now);
      return answer(200, this.cancelView(b));
    }
    return null;
  }

  private cancelView(b: SimTransferBill) {
    return { out_bill_no: b.request.out_bill_no, transfer_bill_no: b.transferBillNo, state: 'CANCELLED', update_time: beijingTime(b.updatedAt) };
  }

  private create(r: TransferBillRequest | undefined, now: Date): Answer {
    if (!r || typeof r !== 'object') return refuse(400, 'PARAM_ERROR', '请求体缺失');
    if (r.appid !== this.sim.keys.appid) return refuse(400, 'APPID_MCHID_NOT_MATCH', 'appid 与商户号不匹配');
    if (typeof r.out_bill_no !== 'string' || !OUT_BILL_NO.test(r.out_bill_no)) return refuse(400, 'PARAM_ERROR', 'out_bill_no 只能由数字、大小写字母组成，长度5-32');
    if (!r.transfer_scene_id) return refuse(400, 'PARAM_ERROR', '转账场景ID缺失');
    if (!r.openid) return refuse(400, 'PARAM_ERROR', 'openid 缺失');
    if (!Number.isInteger(r.transfer_amount) || r.transfer_amount < 10) return refuse(400, 'PARAM_ERROR', '转账金额不能低于0.1元');
    if (typeof r.transfer_remark !== 'string' || !r.transfer_remark || [...r.transfer_remark].length > 32) return refuse(400, 'PARAM_ERROR', '转账备注不能为空且不超过32个字符');
    const infos = r.transfer_scene_report_infos ?? [];
    const types = new Set(infos.map((i) => i.info_type));
    // Scene 1000 (现金营销) requires both report fields, as the platform checks them.
    if (!types.has('活动名称') || !types.has('奖励说明')) return refuse(400, 'PARAM_ERROR', '需传入转账场景报备信息，请检查');
    const prior = this.bills.get(r.out_bill_no);
    if (prior) {
      const same = prior.request.openid === r.openid && prior.request.transfer_amount === r.transfer_amount;
      return same ? answer(200, this.createView(prior)) : refuse(400, 'INVALID_REQUEST', '商户单号重复且参数不一致');
    }
    const b: SimTransferBill = {
      request: { ...r },
      transferBillNo: `1330000${Date.now()}${randomInt(1e6).toString().padStart(6, '0')}`,
      packageInfo: `ABBQO+oYAAABAAAAAAB${randomBytes(18).toString('base64url')}`,
      state: 'WAIT_USER_CONFIRM',
      createdAt: now,
      updatedAt: now,
    };
    this.bills.set(r.out_bill_no, b);
    return answer(200, this.createView(b));
  }

  private createView(b: SimTransferBill) {
    return {
      out_bill_no: b.request.out_bill_no,
      transfer_bill_no: b.transferBillNo,
      create_time: beijingTime(b.createdAt),
      state: b.state,
      ...(b.state === 'WAIT_USER_CONFIRM' ? { package_info: b.packageInfo } : {}),
      ...(b.failReason ? { fail_reason: b.failReason } : {}),
    };
  }

  private finish(b: SimTransferBill, state: 'SUCCESS' | 'FAIL' | 'CANCELLED', now: Date, failReason?: string): Promise<Delivery> | null {
    b.state = state;
    b.updatedAt = now;
    if (failReason) b.failReason = failReason;
    if (!b.request.notify_url) return null;
    const resource = { ...this.view(b), state };
    const summary = { SUCCESS: '转账成功', FAIL: '转账失败', CANCELLED: '转账已撤销' }[state];
    return this.sim.notifier.emit(b.request.notify_url, TRANSFER_FINISHED_EVENT, summary, 'mch_payment', resource);
  }

  /**
   * What the chat app does with requestMerchantTransfer({mchId, appId, package}): the user taps
   * 确认收款 and the money moves. Answers the call's errMsg, as wx does.
   */
  async confirm(params: { mchId?: string; appId?: string; package?: string }): Promise<{ errMsg: string; delivery?: Delivery | null }> {
    const b = [...this.bills.values()].find((x) => x.packageInfo === params.package);
    if (!b) return { errMsg: 'requestMerchantTransfer:fail package 无效' };
    if (params.mchId !== this.sim.keys.mchid || params.appId !== b.request.appid) return { errMsg: 'requestMerchantTransfer:fail 商户号或AppID不匹配' };
    if (b.state === 'CANCELLED') return { errMsg: 'requestMerchantTransfer:fail 该笔转账已撤销' };
    if (b.state !== 'WAIT_USER_CONFIRM') return { errMsg: `requestMerchantTransfer:fail 该笔转账已${b.state === 'SUCCESS' ? '收款' : '失败'}` };
    if (this.neverConfirm.has(b.request.openid)) return { errMsg: 'requestMerchantTransfer:fail cancel' };
    const now = this.now();
    if (this.failOnConfirm.has(b.request.openid)) {
      return { errMsg: 'requestMerchantTransfer:ok', delivery: await this.finish(b, 'FAIL', now, 'REAL_NAME_CHECK_FAIL') };
    }
    return { errMsg: 'requestMerchantTransfer:ok', delivery: await this.finish(b, 'SUCCESS', now) };
  }

  /** /__sim/confirm-transfer {mchId, appId, package}; /__sim/transfer-never-confirm {openid}. */
  async testHook(path: string, body: Record<string, unknown>): Promise<Answer | null> {
    if (path === '/__sim/confirm-transfer') {
      const { errMsg } = await this.confirm(body as { package?: string });
      return answer(errMsg.endsWith(':ok') ? 200 : 400, { errMsg });
    }
    if (path === '/__sim/transfer-never-confirm') {
      this.neverConfirm.add(String(body.openid));
      return answer(204);
    }
    return null;
  }
}
