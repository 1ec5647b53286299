import type { Clock } from '../clock.js';
import { TOKEN_REJECTED, WechatApiError, WechatUnreachableError } from './errors.js';
import type { CachedToken, TokenStore } from './token-store.js';

export interface WechatClientOptions {
  appId: string;
  appSecret: string;
  /** https://api.weixin.qq.com, or the simulator's address. */
  baseUrl: string;
  store: TokenStore;
  clock: Clock;
  /** Per request, the token fetch included (default 5 s). */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

/**
 * How long before its expiry a token is fetched again. The platform hands out the next
 * stable_token in the last 5 minutes of the current one (normal mode), so asking then gets the
 * new token while the old still works for everyone holding it.
 */
export const REFRESH_BEFORE_MS = 5 * 60_000;

interface TokenAnswer {
  access_token?: string;
  expires_in?: number;
  errcode?: number;
  errmsg?: string;
}

/** A binary answer (a QR code image) or the JSON error the platform sends instead. */
export interface BinaryAnswer {
  contentType: string;
  bytes: Buffer;
}

/**
 * The one client of the chat platform's server API. The access_token comes from
 * `POST /cgi-bin/stable_token` in normal mode (force_refresh=false) only: within a token's life
 * that call answers the same token to everyone who asks, so two instances that refresh at the
 * same moment get the same token and neither invalidates the other, which the old
 * `/cgi-bin/token` (and force_refresh=true) would do. The token lives in a shared store (Redis
 * or a database row) so the instances also share the fetch; an answer that the token is no good
 * (40001/42001/40014) drops it, fetches again and retries the call once.
 */
export class WechatClient {
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private local: CachedToken | null = null;
  private inflight: Promise<CachedToken> | null = null;

  constructor(private readonly opts: WechatClientOptions) {
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.fetchImpl = opts.fetchImpl ?? fetch;
  }

  get appId(): string {
    return this.opts.appId;
  }

  /** A token good for at least a few more minutes, from this process, the shared store, or the platform. */
  async accessToken(): Promise<string> {
    return (await this.token(null)).accessToken;
  }

  /** POST a JSON body to an endpoint that takes `?access_token=`, and answer its JSON (errcode 0 or absent). */
  async post<T extends object>(path: string, body: unknown): Promise<T> {
    const res = await this.withToken(path, (token) => this.send(path, token, body));
    const json = await this.json<T & { errcode?: number; errmsg?: string }>(path, res);
    if (json.errcode) throw new WechatApiError(path, json.errcode, json.errmsg ?? '');
    return json;
  }

  /** POST for an endpoint that answers bytes on success (getwxacodeunlimit) and JSON on failure. */
  async postBinary(path: string, body: unknown): Promise<BinaryAnswer> {
    const res = await this.withToken(path, (token) => this.send(path, token, body));
    const contentType = res.headers.get('content-type') ?? '';
    if (contentType.includes('json')) {
      const json = await this.json<{ errcode?: number; errmsg?: string }>(path, res);
      throw new WechatApiError(path, json.errcode ?? -1, json.errmsg ?? 'json answer where bytes were expected');
    }
    try {
      return { contentType, bytes: Buffer.from(await res.arrayBuffer()) };
    } catch (e) {
      throw new WechatUnreachableError(path, 'network', null, e);
    }
  }

  /** One call, and one more with a fresh token when the platform says the token is no good. */
  private async withToken(path: string, call: (token: string) => Promise<Response>): Promise<Response> {
    const first = await this.token(null);
    const res = await call(first.accessToken);
    const rejected = await tokenRejection(res);
    if (rejected === null) return res;
    const fresh = await this.token(first.accessToken);
    return call(fresh.accessToken);
  }

  /**
   * `stale` is the token the platform just refused: drop it (only if the store still has it) and
   * fetch anew. Concurrent callers in this process share one fetch.
   */
  private async token(stale: string | null): Promise<CachedToken> {
    const now = this.opts.clock.now().getTime();
    if (!stale && this.local && fresh(this.local, now)) return this.local;
    if (this.inflight) return this.inflight;
    this.inflight = (async () => {
      const { store, appId } = this.opts;
      const shared = await store.get(appId);
      // Another instance may already have replaced the refused token: take its replacement.
      if (shared && shared.accessToken !== stale && fresh(shared, now)) return (this.local = shared);
      if (stale) {
        this.local = null;
        await store.drop(appId, stale);
      }
      const got = await this.fetchToken();
      await store.put(appId, got, stale ?? this.local?.accessToken ?? null);
      return (this.local = got);
    })();
    try {
      return await this.inflight;
    } finally {
      this.inflight = null;
    }
  }

  private async fetchToken(): Promise<CachedToken> {
    const path = '/cgi-bin/stable_token';
    const res = await this.request(path, new URL(path, this.opts.baseUrl), {
      grant_type: 'client_credential',
      appid: this.opts.appId,
      secret: this.opts.appSecret,
      force_refresh: false,
    });
    const json = await this.json<TokenAnswer>(path, res);
    if (json.errcode || typeof json.access_token !== 'string' || typeof json.expires_in !== 'number') {
      throw new WechatApiError(path, json.errcode ?? -1, json.errmsg ?? 'no access_token in the answer');
    }
    return { accessToken: json.access_token, expiresAt: new Date(this.opts.clock.now().getTime() + json.expires_in * 1000) };
  }

  private send(path: string, token: string, body: unknown): Promise<Response> {
    const url = new URL(path, this.opts.baseUrl);
    url.searchParams.set('access_token', token);
    return this.request(path, url, body);
  }

  private async request(path: string, url: URL, body: unknown): Promise<Response> {
    let res: Response;
    try {
      res = await this.fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const timeout = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
      throw new WechatUnreachableError(path, timeout ? 'timeout' : 'network', null, e);
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new WechatUnreachableError(path, 'http', res.status);
    }
    return res;
  }

  private async json<T>(path: string, res: Response): Promise<T> {
    try {
      return (await res.json()) as T;
    } catch (e) {
      throw new WechatUnreachableError(path, e instanceof Error && e.name === 'TimeoutError' ? 'timeout' : 'network', null, e);
    }
  }
}

const fresh = (t: CachedToken, now: number) => t.expiresAt.getTime() - now > REFRESH_BEFORE_MS;

/** The errcode when a JSON answer says the token is no good, else null; the body stays readable. */
async function tokenRejection(res: Response): Promise<number | null> {
  if (!(res.headers.get('content-type') ?? '').includes('json')) return null;
  try {
    const json = (await res.clone().json()) as { errcode?: number };
    return json.errcode !== undefined && TOKEN_REJECTED.has(json.errcode) ? json.errcode : null;
  } catch {
    return null;
  }
}
