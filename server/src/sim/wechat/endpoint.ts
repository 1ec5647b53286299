import type { WechatSimulator } from './simulator.js';

/** What an endpoint answers: JSON (errcode 0 or a documented error), or bytes (a QR code image). */
export type SimAnswer =
  | { status?: number; json: Record<string, unknown> }
  | { status?: number; bytes: Buffer; contentType: string };

export interface SimRequest {
  sim: WechatSimulator;
  path: string;
  query: URLSearchParams;
  /** The parsed JSON body ({} when there was none or it did not parse). */
  body: Record<string, unknown>;
  now: Date;
}

/**
 * One endpoint of the simulated platform. `token: true` endpoints get the platform's
 * access_token check (41001/40001/42001) before the handler runs. Each integration adds its
 * endpoints in a file of its own and lists it in endpoints.ts.
 */
export interface SimEndpoint {
  path: string;
  token: boolean;
  handle(req: SimRequest): SimAnswer | Promise<SimAnswer>;
}

export const ok = (fields: Record<string, unknown> = {}): SimAnswer => ({ json: { errcode: 0, errmsg: 'ok', ...fields } });
export const platformError = (errcode: number, errmsg: string): SimAnswer => ({ json: { errcode, errmsg } });
