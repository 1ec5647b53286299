import type { TransferConfirmation } from '@jizan/shared';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { acknowledged, answerFor, type IncomingNotification, type NotificationAnswer } from '../../lib/wechatpay/notification.js';
import { recordAudit, type Actor } from '../operators/audit.service.js';
import { newOutBillNo, TransferRefused, type PayoutProvider, type TransferOutcome } from './payout-provider.js';
import { chinaTime, yuan } from '../notifications/message-rules.js';
import { writeMessages } from '../notifications/notifications.service.js';
import { deliveryOf, reviewReason } from './redpacket-rules.js';
import * as rpRepo from './redpackets.repository.js';
import * as repo from './transfers.repository.js';

/**
 * Cash through the merchant transfer, after the review hold. The job's passes, each safe in every
 * instance at once (rows locked SKIP LOCKED) and after any crash:
 *
 * 1. review: a red packet whose hold is over gets `cleared` or `flagged` from the fraud facts;
 * 2. transfer: a cleared (or operator-released) one gets an out-bill number, committed first, then
 *    the platform is asked; its answer (WAIT_USER_CONFIRM + package_info) is recorded;
 * 3. poll: transfers with no end yet are queried by their number: an unknown outcome (timeout, 5xx,
 *    a kill between the platform's accept and our record) is found under the same number, and a
 *    number the platform never saw is asked again under that number; one nobody confirmed in time
 *    is cancelled, and only once the platform says CANCELLED does step 2 offer a new number.
 */

export interface TransferDeps {
  db: Db;
  clock: Clock;
  /** Null: no payout provider configured (claims are refused with PAYOUT_UNAVAILABLE). */
  payouts: PayoutProvider | null;
  holdMinutes: number;
  transferConfirmMinutes: number;
  /** Runs the fraud scan of a campaign before its held rewards are reviewed (wired by the job registry). */
  scan?: (campaignId: string) => Promise<unknown>;
  /** The platform's risk rank (getUserRiskRank, marketing scene) of an openid seen at an address, where configured. */
  riskRank?: (q: { openid: string; clientIp: string }) => Promise<number | null>;
}

export interface TransferRun {
  reviewed: number;
  flagged: number;
  started: number;
  polled: number;
  cancelled: number;
}

const BATCH = 20;
/** How long a transfer may sit with no answer before the poll asks the platform about it. */
const POLL_AFTER_MS = 30_000;

function rewardNote(p: repo.DueRedPacket): string {
  const yuan = (p.amount / 100).toFixed(2);
  return p.kind === 'pool' ? `队伍瓜分奖励${yuan}元` : `集赞第${p.tier}档奖励${yuan}元`;
}

async function review(deps: TransferDeps, run: TransferRun): Promise<void> {
  const now = deps.clock.now();
  const due = await deps.db.transaction((tx) => repo.lockDueForReview(tx, now, BATCH));
  if (deps.scan) for (const c of new Set(due.map((p) => p.campaignId))) await deps.scan(c);
  // The platform's rank is asked outside any transaction: its client may need the database itself
  // (the shared token) and no row should stay locked while the platform takes its time. It judges
  // an openid at the address it was seen from (its last login's); a rank it cannot give (down, no
  // address) decides nothing, and the other checks still run.
  const ranks = new Map<number, number | null>();
  if (deps.riskRank) {
    for (const p of due) {
      const clientIp = await repo.lastLoginIp(deps.db, p.userId);
      ranks.set(p.id, clientIp ? await deps.riskRank({ openid: p.openid, clientIp }).catch(() => null) : null);
    }
  }
  await deps.db.transaction(async (tx) => {
    for (const p of await repo.lockDueForReview(tx, deps.clock.now(), BATCH)) {
      // Due since the first look: reviewed next pass, once the platform was asked about it.
      if (deps.riskRank && !ranks.has(p.id)) continue;
      const facts = await repo.reviewFacts(tx, p);
      const reason = reviewReason({ ...facts, riskRank: ranks.get(p.id) ?? null });
      await repo.insertReview(tx, { redPacketId: p.id, decision: reason ? 'flagged' : 'cleared', reason: reason ?? 'checks found nothing', operatorId: null, at: deps.clock.now() });
      run.reviewed++;
      if (reason) run.flagged++;
    }
  });
}

async function record(deps: TransferDeps, outBillNo: string, o: TransferOutcome): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const t = await repo.updateTransfer(tx, outBillNo, {
      state: o.state,
      transferBillNo: o.transferBillNo,
      // A query's answer carries no package_info: only the transfer's own answer does, so it is kept.
      ...(o.state === 'fail' ? { failReason: o.reason } : o.packageInfo ? { packageInfo: o.packageInfo } : {}),
      at: now,
    });
    // The money waits on the user's tap (确认收款): tell them, once per transfer, with the transfer's move.
    if (t && o.state === 'wait_user_confirm') {
      const p = await repo.packetToPay(tx, t.redPacketId);
      if (p) {
        const deadline = chinaTime(t.confirmBy ?? new Date(now.getTime() + deps.transferConfirmMinutes * 60_000));
        const facts = { campaignId: p.campaignId, campaign: p.campaignTitle || '集赞活动', amount: yuan(p.amount), deadline };
        await writeMessages([{ userId: p.userId, kind: 'transfer_confirm', dedupeKey: `transfer:${outBillNo}`, facts }], now, tx);
      }
    }
  });
}

async function start(deps: TransferDeps, payouts: PayoutProvider, run: TransferRun): Promise<void> {
  const now = deps.clock.now();
  // The number is committed before the platform hears of it: whatever happens next, we can ask about it.
  const created = await deps.db.transaction(async (tx) => {
    const out: { p: repo.DueRedPacket; outBillNo: string }[] = [];
    for (const p of await repo.lockDueForTransfer(tx, BATCH)) {
      const outBillNo = newOutBillNo();
      await repo.insertTransfer(tx, { redPacketId: p.id, outBillNo, provider: payouts.name, confirmBy: new Date(now.getTime() + deps.transferConfirmMinutes * 60_000), at: now });
      out.push({ p, outBillNo });
    }
    return out;
  });
  for (const { p, outBillNo } of created) {
    run.started++;
    await ask(deps, payouts, p, outBillNo);
  }
}

async function ask(deps: TransferDeps, payouts: PayoutProvider, p: repo.DueRedPacket, outBillNo: string): Promise<void> {
  try {
    const o = await payouts.transfer({
      outBillNo,
      openid: p.openid,
      amount: p.amount,
      remark: p.kind === 'pool' ? '集赞瓜分红包' : '集赞红包',
      activity: p.campaignTitle || '集赞活动',
      rewardNote: rewardNote(p),
    });
    await record(deps, outBillNo, o);
  } catch (e) {
    if (e instanceof TransferRefused) {
      await record(deps, outBillNo, { state: 'fail', reason: `${e.code}: ${e.message}`, transferBillNo: null });
    }
    // Anything else: the outcome is unknown, the poll asks under the same number.
  }
}

async function poll(deps: TransferDeps, payouts: PayoutProvider, run: TransferRun): Promise<void> {
  const now = deps.clock.now();
  const open = await deps.db.transaction((tx) => repo.lockOpenTransfers(tx, new Date(now.getTime() - POLL_AFTER_MS), BATCH));
  for (const t of open) {
    run.polled++;
    try {
      const o = await payouts.query(t.outBillNo);
      if (o === null) {
        // Never reached the platform (or the kill came first): ask again under the same number.
        const p = await packetFor(deps, t.redPacketId);
        if (p) await ask(deps, payouts, p, t.outBillNo);
        continue;
      }
      if (o.state === 'wait_user_confirm' && !t.packageInfo && !(t.confirmBy && t.confirmBy <= now)) {
        // The bill exists but its answer (and package_info) was lost: the platform's 原单重试, the
        // same number and request, answers the same bill with its package, never a second one.
        const p = await packetFor(deps, t.redPacketId);
        if (p) await ask(deps, payouts, p, t.outBillNo);
        continue;
      }
      if (o.state === 'wait_user_confirm' && t.confirmBy && t.confirmBy <= now) {
        const c = await payouts.cancel(t.outBillNo);
        await record(deps, t.outBillNo, c);
        if (c.state === 'cancelled') run.cancelled++;
        continue;
      }
      await record(deps, t.outBillNo, o);
      if (o.state === 'cancelled') run.cancelled++;
    } catch {
      // The platform is down: next pass, same number.
    }
  }
}

async function packetFor(deps: TransferDeps, redPacketId: number): Promise<repo.DueRedPacket | null> {
  return repo.packetToPay(deps.db, redPacketId);
}

/** One pass of the transfer job: review what is due, start what is cleared, poll what is open. */
export async function runTransfers(deps: TransferDeps): Promise<TransferRun> {
  const run: TransferRun = { reviewed: 0, flagged: 0, started: 0, polled: 0, cancelled: 0 };
  await review(deps, run);
  if (!deps.payouts) return run;
  await poll(deps, deps.payouts, run);
  await start(deps, deps.payouts, run);
  return run;
}

/** MCHTRANSFER.BILL.FINISHED: verified, then applied once however often delivered (an end state is never left). */
export async function receiveTransferNotification(deps: TransferDeps, n: IncomingNotification): Promise<NotificationAnswer> {
  if (!deps.payouts) return { status: 404, body: { code: 'FAIL', message: '未配置商家转账' } };
  try {
    const { outBillNo, outcome } = await deps.payouts.openNotification(n);
    if (!(await repo.findTransfer(deps.db, outBillNo))) return { status: 400, body: { code: 'FAIL', message: '商户单号不存在' } };
    await record(deps, outBillNo, outcome);
    return acknowledged;
  } catch (e) {
    return answerFor(e);
  }
}

/** What the mini-program hands to requestMerchantTransfer for my red packet waiting for confirmation. */
export async function transferConfirmation(deps: TransferDeps, userId: string, redPacketId: number, simulated: boolean): Promise<TransferConfirmation> {
  const packet = await rpRepo.redPacketOf(deps.db, redPacketId);
  if (!packet || packet.userId !== userId) throw new AppError('NOT_FOUND', 'No red packet of yours with this id');
  const t = await repo.latestTransferOf(deps.db, redPacketId);
  const delivery = deliveryOf(packet);
  if (t?.state === 'cancelled' || t?.state === 'cancelling') {
    throw new AppError('TRANSFER_CANCELLED', 'This transfer was cancelled because it was not confirmed in time; a new one is on its way');
  }
  if (delivery !== 'wait_user_confirm' || !t?.packageInfo || !deps.payouts) {
    throw new AppError('TRANSFER_NOT_CONFIRMABLE', `This red packet has nothing to confirm (it is ${delivery})`, { delivery });
  }
  return { mchId: deps.payouts.mchId, appId: deps.payouts.appId, package: t.packageInfo, simulated };
}

// ---- Operators ----

/** An operator's release of a reward in review: cash goes at the next pass. Audited. */
export async function releaseReward(deps: { db: Db; clock: Clock }, actor: Actor, redPacketId: number, note: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const d = await inReview(tx, redPacketId);
    await repo.insertReview(tx, { redPacketId, decision: 'released', reason: note || 'released by an operator', operatorId: actor.id, at: deps.clock.now() });
    await recordAudit(tx, actor, deps.clock.now(), { action: 'reward.release', targetType: 'red_packet', targetId: String(redPacketId), before: { decisions: [...d] }, after: { decision: 'released', note } });
  });
}

/** An operator's void: nothing is paid and the amount goes back to the budget by a compensating row. Audited. */
export async function voidReward(deps: { db: Db; clock: Clock }, actor: Actor, redPacketId: number, note: string): Promise<{ returned: number }> {
  return deps.db.transaction(async (tx) => {
    await inReview(tx, redPacketId);
    const p = (await rpRepo.redPacketOf(tx, redPacketId))!;
    const now = deps.clock.now();
    await repo.insertReview(tx, { redPacketId, decision: 'voided', reason: note || 'voided by an operator', operatorId: actor.id, at: now });
    await repo.returnToBudget(tx, { redPacketId, campaignId: p.campaignId, amount: p.amount, at: now });
    await recordAudit(tx, actor, now, { action: 'reward.void', targetType: 'red_packet', targetId: String(redPacketId), before: { amount: p.amount }, after: { decision: 'voided', note, returnedToBudget: p.amount } });
    return { returned: p.amount };
  });
}

async function inReview(tx: Parameters<Parameters<Db['transaction']>[0]>[0], redPacketId: number) {
  const p = await rpRepo.lockRedPacket(tx, redPacketId);
  if (!p) throw new AppError('NOT_FOUND', 'No red packet with this id');
  const d = await repo.decisionsOf(tx, redPacketId);
  if (!d.has('flagged') || d.has('released') || d.has('voided')) {
    throw new AppError('REWARD_NOT_IN_REVIEW', 'This reward is not waiting for review', { decisions: [...d] });
  }
  return d;
}
