import type { PaySheetParams } from '../../lib/wechatpay/sign.js';

/**
 * The chat app's two WeChat Pay sheets (pay, and 确认收款 for a merchant transfer) on a simulator
 * running in another process (`sim/wechatpay/main.ts`), for the H5 preview of a server configured
 * with JIZAN_PAYMENT_PROVIDER=wechatpay against it. The browser cannot be the chat app, so the
 * server forwards what the mini-program would hand the sheet to the simulator's own hooks; on the
 * real platform there is no such URL and these sheets are the chat app's.
 */
export interface PaySheet {
  requestPayment(params: PaySheetParams): Promise<{ errMsg: string }>;
}

export interface ConfirmSheet {
  confirm(body: { mchId?: string; appId?: string; package?: string }): Promise<{ errMsg: string }>;
}

async function hook(base: string, path: string, body: unknown): Promise<{ errMsg: string }> {
  const res = await fetch(new URL(path, base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const answer = (await res.json().catch(() => null)) as { errMsg?: string; message?: string } | null;
  // A refused sheet is the chat app's `fail` callback, whatever the hook's status says.
  return { errMsg: answer?.errMsg ?? `fail ${answer?.message ?? `simulator answered ${res.status}`}` };
}

export function remoteSheets(simulatorUrl: string): PaySheet & ConfirmSheet {
  return {
    requestPayment: (params) => hook(simulatorUrl, '/__sim/request-payment', params),
    confirm: (body) => hook(simulatorUrl, '/__sim/confirm-transfer', body),
  };
}
