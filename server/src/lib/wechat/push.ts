import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The chat platform's message push (消息推送) in plaintext mode with JSON bodies: every request
 * carries `signature`, `timestamp` and `nonce` in its query, the signature being the SHA-1 of the
 * Token, timestamp and nonce sorted and joined; the URL check (GET) adds `echostr`, answered as is.
 */
export function pushSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}

/** Older than this, a push is a replay: the platform sends each one at once and retries within seconds. */
const MAX_AGE_SECONDS = 300;

export function pushIsGenuine(token: string, q: { signature?: string; timestamp?: string; nonce?: string }, now: Date): boolean {
  if (!q.signature || !q.timestamp || !q.nonce || !/^\d+$/.test(q.timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - Number(q.timestamp)) > MAX_AGE_SECONDS) return false;
  const want = Buffer.from(pushSignature(token, q.timestamp, q.nonce));
  const got = Buffer.from(q.signature.toLowerCase());
  return want.length === got.length && timingSafeEqual(want, got);
}

/** A media check's verdict as pushed (event `wxa_media_check`, version 2). */
export interface MediaCheckPush {
  ToUserName?: string;
  FromUserName?: string;
  CreateTime?: number;
  MsgType: 'event';
  Event: 'wxa_media_check';
  appid?: string;
  trace_id: string;
  version?: number;
  result?: { suggest?: string; label?: number };
  detail?: unknown[];
  errcode?: number;
  errmsg?: string;
}
