import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WechatPayClient, type WechatPayClientOptions } from '../../../src/lib/wechatpay/client.js';
import { answerFor, type WechatPayEvent } from '../../../src/lib/wechatpay/notification.js';
import type { WechatPaySimulator } from '../../../src/sim/wechatpay/simulator.js';

/**
 * A stand-in for our notification route: verifies and decrypts with the client, records what it
 * accepted and answers as the platform expects (204, or `{code: "FAIL"}` with 401/400/500).
 */
export async function startMerchantEndpoint(client: () => WechatPayClient) {
  const events: WechatPayEvent[] = [];
  const refused: { status: number; reason: string }[] = [];
  const state = { failNext: 0 };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    try {
      const event = client().openNotification({ headers: req.headers, rawBody });
      if (state.failNext > 0) {
        state.failNext -= 1;
        throw new Error('our database is down');
      }
      events.push(event);
      res.writeHead(204).end();
    } catch (e) {
      const a = answerFor(e);
      refused.push({ status: a.status, reason: (e as { reason?: string }).reason ?? (e as Error).name });
      res.writeHead(a.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(a.body));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/payments/wechatpay/notify`;
  return {
    url,
    events,
    refused,
    /** Answer 500 to the next n verified notifications, as if our commit failed. */
    failNext: (n: number) => {
      state.failNext = n;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

let seq = 0;
/** A fresh out_trade_no / out_refund_no per test, in the platform's alphabet. */
export const outNo = (prefix = 'jz') => `${prefix}${Date.now().toString(36)}${(seq++).toString(36)}`;

export function clientFor(sim: WechatPaySimulator, notifyUrl: string, over: Partial<WechatPayClientOptions> = {}) {
  return new WechatPayClient(sim.clientOptions(notifyUrl, over));
}

/** Today as a Beijing-time day, the way the platform cuts its bills. */
export const beijingToday = (at = new Date()) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
