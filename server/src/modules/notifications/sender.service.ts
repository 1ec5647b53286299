import type { TemplateKey } from '@jizan/shared';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { WechatApiError, WechatUnreachableError, type WechatClient } from '../../lib/wechat/index.js';
import type { SubscribeConfig } from '../../subscribe-config.js';
import { returnCredit, spendCredit } from './credits.repository.js';
import { fillHoles, retryDelayMs, sendFailure, type Facts } from './message-rules.js';
import * as repo from './notifications.repository.js';
import { fitFields } from './template-field-rules.js';

/** One subscribe message as `/cgi-bin/message/subscribe/send` takes it. */
export interface SubscribeMessage {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogram_state: 'formal' | 'trial' | 'developer';
  lang: 'zh_CN';
}

/** The port: sends, or throws the platform client's WechatApiError / WechatUnreachableError. */
export type SubscribeSend = (message: SubscribeMessage) => Promise<void>;

export function wechatSubscribeSend(client: WechatClient): SubscribeSend {
  return async (message) => {
    await client.post('/cgi-bin/message/subscribe/send', message);
  };
}

export interface SenderDeps {
  db: Db;
  clock: Clock;
  subscribe: SubscribeConfig;
  /** Null without a platform (production with no app): every message stays in the inbox. */
  send: SubscribeSend | null;
}

/** How long a claim keeps other senders off a message: well past the client's own 5 s timeout. */
const CLAIM_MS = 60_000;

/** The platform message of a claimed row: the template's fields filled from its facts and cut to fit. */
export function platformMessage(deps: Pick<SenderDeps, 'subscribe'>, m: repo.ClaimedMessage): SubscribeMessage | null {
  const template = deps.subscribe.templates[m.templateKey as TemplateKey];
  if (!template) return null;
  const facts = ((m.payload ?? {}) as { facts?: Facts }).facts ?? {};
  const fields = Object.fromEntries(Object.entries(template.fields).map(([k, text]) => [k, fillHoles(text, facts)]));
  return {
    touser: m.openid,
    template_id: template.templateId,
    ...(template.page ? { page: fillHoles(template.page, facts) } : {}),
    data: fitFields(fields),
    miniprogram_state: deps.subscribe.miniprogramState,
    lang: 'zh_CN',
  };
}

/**
 * One claimed message to its end for now: sent, kept in the inbox, refused, or put back for later.
 * The credit is taken before the send, by the guarded UPDATE that cannot take the last credit
 * twice, and held by the message (credit_held) in that transaction: a retry (a lost answer, a
 * crash, the platform down) sends on it without taking another, and a message given up, or refused
 * for our own template's fault, gives it back. No transaction stays open across the platform call.
 */
async function deliver(deps: SenderDeps, m: repo.ClaimedMessage): Promise<repo.Settled['delivery']> {
  const message = deps.send ? platformMessage(deps, m) : null;
  if (!message) {
    await repo.settle(deps.db, m.id, { delivery: 'inbox', error: 'no template configured' });
    return 'inbox';
  }
  if (!m.creditHeld) {
    const held = await deps.db.transaction(async (tx) => {
      if (!(await spendCredit(tx, m.userId, m.templateKey, deps.clock.now()))) {
        await repo.settle(tx, m.id, { delivery: 'inbox', error: 'no subscription credit' });
        return false;
      }
      await repo.holdCredit(tx, m.id);
      return true;
    });
    if (!held) return 'inbox';
  }
  try {
    await deps.send!(message);
  } catch (e) {
    if (!(e instanceof WechatApiError) && !(e instanceof WechatUnreachableError)) throw e;
    const failure = sendFailure(e instanceof WechatApiError ? { kind: 'api', errcode: e.errcode, busy: e.busy } : { kind: 'unreachable' });
    const error = e instanceof WechatApiError ? `${e.errcode} ${e.errmsg}` : e.message;
    const now = deps.clock.now();
    if (failure.outcome === 'retry' && m.attempts < deps.subscribe.maxAttempts) {
      await repo.settle(deps.db, m.id, { delivery: 'pending', retryAt: new Date(now.getTime() + retryDelayMs(m.attempts)), error });
      return 'pending';
    }
    const delivery = failure.outcome === 'retry' ? 'failed' : 'refused';
    // 43101 and the like: the platform holds no subscription of the user's for it, so the credit
    // was wrong and stays spent (the user has to accept again); otherwise it goes back.
    await deps.db.transaction(async (tx) => {
      if (failure.keepsCredit) await returnCredit(tx, m.userId, m.templateKey, now);
      await repo.settle(tx, m.id, { delivery, error, releaseCredit: failure.keepsCredit });
    });
    return delivery;
  }
  await repo.settle(deps.db, m.id, { delivery: 'sent', at: deps.clock.now() });
  return 'sent';
}

/**
 * The sender job's run: claims due messages a batch at a time and delivers each. Every instance
 * may run it at once (claims are SKIP LOCKED and time-limited); a message is sent by the one
 * instance that claimed it, on one credit it holds from before the send.
 */
export async function sendDue(deps: SenderDeps, opts: { max?: number; batch?: number; signal?: AbortSignal } = {}): Promise<number> {
  const max = opts.max ?? 200;
  let done = 0;
  while (done < max && !opts.signal?.aborted) {
    const now = deps.clock.now();
    const claimed = await deps.db.transaction((tx) => repo.claimDue(tx, now, new Date(now.getTime() + CLAIM_MS), Math.min(opts.batch ?? 20, max - done)));
    if (claimed.length === 0) break;
    for (const m of claimed) {
      await deliver(deps, m);
      done += 1;
    }
  }
  return done;
}
