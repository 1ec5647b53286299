import { randomBytes } from 'node:crypto';
import { pushSignature } from '../../lib/wechat/push.js';
import type { SimMediaCheck } from './content-security.js';

/**
 * What the platform posts to a mini-program's message push URL when a picture submitted to
 * media_check_async has its verdict (plaintext mode, JSON): the signed query and the event. A
 * test (or a demo) sends it to the server as the platform would.
 */
export function mediaVerdictPush(
  check: SimMediaCheck,
  verdict: { suggest: 'pass' | 'review' | 'risky'; label: number },
  opts: { token: string; appId: string; now: Date },
): { query: Record<string, string>; body: Record<string, unknown> } {
  const timestamp = String(Math.floor(opts.now.getTime() / 1000));
  const nonce = String(randomBytes(4).readUInt32BE());
  return {
    query: { signature: pushSignature(opts.token, timestamp, nonce), timestamp, nonce },
    body: {
      ToUserName: 'gh_simulated0001',
      FromUserName: check.openid,
      CreateTime: Number(timestamp),
      MsgType: 'event',
      Event: 'wxa_media_check',
      appid: opts.appId,
      trace_id: check.traceId,
      version: 2,
      detail: [{ strategy: 'content_model', errcode: 0, suggest: verdict.suggest, label: verdict.label, prob: verdict.suggest === 'risky' ? 90 : 0 }],
      errcode: 0,
      errmsg: 'ok',
      result: verdict,
    },
  };
}
