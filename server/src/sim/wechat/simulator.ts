import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SimAnswer, SimEndpoint } from './endpoint.js';
import { SIM_ENDPOINTS } from './endpoints.js';
import { SimTokens } from './token.js';
import { SimServer } from '../sim-server.js';

/**
 * The chat platform's server API in one process, faithful where a caller can tell: the
 * stable_token modes and their limits, tokens that expire (42001) or are replaced (40001), the
 * documented errcodes of each endpoint, and faults a test or a demo switches on. Endpoints come
 * from a table (endpoints.ts), so each integration adds its own without touching this file.
 * `listen()` for a port of its own (tests, `pnpm start`), or mount `handle` in any node:http server.
 */
export type SimFault = {
  /** Matches the request path; a string matches as a substring. All paths when absent. */
  path?: string | RegExp;
  /** How many matching requests it applies to (default 1; Infinity until cleared). */
  times?: number;
} & (
  | { kind: 'down' } // drops the connection unanswered
  | { kind: 'slow'; delayMs: number } // answers, late
  | { kind: 'status'; status?: number } // an HTTP error page (502 by default) from a proxy in front
  | { kind: 'expire-token' } // the current token runs out just before this request
  | { kind: 'errcode'; errcode: number; errmsg?: string } // a platform error answer instead of the handler's
);

export interface WechatSimulatorOptions {
  appId?: string;
  appSecret?: string;
  now?: () => Date;
  /** Life of a new token (default 7200 s, the platform's). */
  tokenTtlSeconds?: number;
  /** Extra endpoints (tests), on top of SIM_ENDPOINTS. */
  endpoints?: readonly SimEndpoint[];
}

export class WechatSimulator extends SimServer {
  readonly appId: string;
  readonly appSecret: string;
  readonly tokens: SimTokens;
  readonly faults: SimFault[] = [];
  /** Every request seen, for tests that assert what was asked (and how often). */
  readonly requests: { path: string; status: number; errcode: number | null }[] = [];
  private readonly now: () => Date;
  private readonly routes = new Map<string, SimEndpoint>();
  private readonly state = new Map<string, unknown>();

  constructor(opts: WechatSimulatorOptions = {}) {
    super();
    this.appId = opts.appId ?? 'wxsimulated0000001';
    this.appSecret = opts.appSecret ?? 'simulated-app-secret-0123456789ab';
    this.now = opts.now ?? (() => new Date());
    this.tokens = new SimTokens(opts.tokenTtlSeconds ?? 7200);
    for (const e of [...SIM_ENDPOINTS, ...(opts.endpoints ?? [])]) this.routes.set(e.path, e);
  }

  /** State an integration's endpoints keep (sent messages, checks, codes), created on first use. */
  store<T>(key: string, init: () => T): T {
    if (!this.state.has(key)) this.state.set(key, init());
    return this.state.get(key) as T;
  }

  /** How many times `path` was asked. */
  count(path: string): number {
    return this.requests.filter((r) => r.path === path).length;
  }

  fail(fault: SimFault): void {
    this.faults.push({ times: 1, ...fault });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Settings for a client of this simulator (WECHAT_APP_ID, WECHAT_APP_SECRET, WECHAT_API_BASE). */
  clientSettings(): { appId: string; appSecret: string; baseUrl: string } {
    return { appId: this.appId, appSecret: this.appSecret, baseUrl: this.url };
  }

  override async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const path = url.pathname;
    const raw = await readBody(req);
    const fault = this.takeFault(path);
    if (fault?.kind === 'down') {
      this.requests.push({ path, status: 0, errcode: null });
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'slow') await sleep(fault.delayMs);
    if (fault?.kind === 'status') {
      const status = fault.status ?? 502;
      this.requests.push({ path, status, errcode: null });
      res.writeHead(status, { 'content-type': 'text/html' }).end(`<html><body>${status} Bad Gateway</body></html>`);
      return;
    }
    const now = this.now();
    if (fault?.kind === 'expire-token' && this.tokens.current) this.tokens.expire(this.tokens.current, now.getTime());
    let answer: SimAnswer;
    const route = this.routes.get(path);
    if (!route) answer = { status: 404, json: { errcode: 404, errmsg: `no such api: ${path}` } };
    else if (fault?.kind === 'errcode') answer = { json: { errcode: fault.errcode, errmsg: fault.errmsg ?? 'simulated error' } };
    else {
      const code = route.token ? this.tokens.check(url.searchParams.get('access_token'), now.getTime()) : 0;
      if (code !== 0) answer = { json: { errcode: code, errmsg: TOKEN_ERRMSG[code] } };
      else {
        let body: Record<string, unknown> = {};
        try {
          const parsed: unknown = raw.length ? JSON.parse(raw.toString('utf8')) : {};
          if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
          else answer = { json: { errcode: 47001, errmsg: 'data format error' } };
        } catch {
          answer = { json: { errcode: 47001, errmsg: 'data format error' } };
        }
        answer ??= await route.handle({ sim: this, path, query: url.searchParams, body, now });
      }
    }
    const status = answer.status ?? 200;
    if ('json' in answer) {
      const errcode = typeof answer.json.errcode === 'number' ? answer.json.errcode : null;
      this.requests.push({ path, status, errcode });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(answer.json));
    } else {
      this.requests.push({ path, status, errcode: null });
      res.writeHead(status, { 'content-type': answer.contentType, 'content-length': answer.bytes.length }).end(answer.bytes);
    }
  }

  private takeFault(path: string): SimFault | null {
    const i = this.faults.findIndex((f) => !f.path || (typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path)));
    if (i < 0) return null;
    const f = this.faults[i]!;
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) this.faults.splice(i, 1);
    return f;
  }
}

const TOKEN_ERRMSG: Record<number, string> = {
  41001: 'access_token missing',
  40001: 'invalid credential, access_token is invalid or not latest',
  42001: 'access_token expired',
};

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function startWechatSimulator(opts: WechatSimulatorOptions & { port?: number; host?: string } = {}): Promise<WechatSimulator> {
  const sim = new WechatSimulator(opts);
  await sim.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  return sim;
}
