import type { LoginResponse } from '@jizan/shared';
import { queryString } from '@jizan/shared/constants';
import { codeForStatus, ERRORS, type ErrorCode } from '@jizan/shared/errors';

/**
 * The one request wrapper. It knows nothing about Taro: the platform request, the token storage
 * and the login-code source are handed in, so the same code runs in the chat app, in H5 and in
 * unit tests with a fake transport.
 */

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface TransportRequest {
  url: string;
  method: HttpMethod;
  header: Record<string, string>;
  data?: unknown;
  /** Send this local file (a path the platform's chooser gave) as a multipart upload instead of `data`. */
  file?: UploadFile;
}

export interface UploadFile {
  path: string;
  /** The multipart field the server reads it from. */
  field: string;
}

export interface TransportResponse {
  statusCode: number;
  data: unknown;
}

/** Resolves with any HTTP answer; rejects only when no answer came (offline, DNS, timeout). */
export type Transport = (req: TransportRequest) => Promise<TransportResponse>;

export interface TokenStore {
  get(): string | null;
  set(token: string | null): void;
}

/** Codes the client adds for failures that never reached the API's error handler. */
export type ClientErrorCode = 'NETWORK' | 'BAD_RESPONSE';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(ERRORS, v);
}

/** Turns a non-2xx answer into an ApiError, trusting the `{error: {code, message}}` shape when present. */
export function toApiError(res: TransportResponse): ApiError {
  const body = res.data as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null;
  const err = body && typeof body === 'object' ? body.error : undefined;
  if (err && isErrorCode(err.code)) {
    const message = typeof err.message === 'string' ? err.message : err.code;
    return new ApiError(err.code, message, res.statusCode, err.details);
  }
  // A proxy or a crash answered instead of the API: classify by status so the UI still says something sensible.
  return new ApiError(codeForStatus(res.statusCode), `HTTP ${res.statusCode}`, res.statusCode);
}

/** Idempotency keys only need to be unique per user and intent; no crypto API is needed for that. */
export function newIdempotencyKey(): string {
  const rand = () => Math.random().toString(36).slice(2, 10);
  return `${Date.now().toString(36)}-${rand()}-${rand()}`;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined | null>;
  body?: unknown;
  /** 'required' logs in first when there is no token; 'none' sends no token (the share landing in single-page mode). */
  auth?: 'required' | 'none';
  /** Adds an Idempotency-Key so a retried like or join is applied once. */
  idempotent?: boolean;
  /** Uploads this local file (multipart) instead of a JSON body. */
  file?: UploadFile;
}

export interface HttpClientOptions {
  baseUrl: string;
  transport: Transport;
  tokens: TokenStore;
  /** A fresh one-time login code: `Taro.login()` in the chat app, `dev:<name>` in H5 preview. */
  loginCode: () => Promise<string>;
  /** This install's device id, sent as `x-device-id` at login (the server keeps it for fraud review). */
  deviceId?: () => string | null;
  idempotencyKey?: () => string;
}

export interface HttpClient {
  request<T>(method: HttpMethod, path: string, opts?: RequestOptions): Promise<T>;
  /** Logs in now (or joins a login already in flight) and stores the token. */
  login(): Promise<LoginResponse>;
  logout(): void;
}

export function buildUrl(baseUrl: string, path: string, query?: RequestOptions['query']): string {
  const qs = query ? queryString(query) : '';
  return `${baseUrl.replace(/\/$/, '')}${path}${qs ? `?${qs}` : ''}`;
}

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const { baseUrl, transport, tokens, loginCode } = opts;
  const makeKey = opts.idempotencyKey ?? newIdempotencyKey;
  // Pages load in parallel on launch; they must share one login, not race three.
  let loginInFlight: Promise<LoginResponse> | null = null;

  async function send(req: TransportRequest): Promise<TransportResponse> {
    try {
      return await transport(req);
    } catch (e) {
      throw new ApiError('NETWORK', e instanceof Error ? e.message : String(e), 0);
    }
  }

  function login(): Promise<LoginResponse> {
    if (!loginInFlight) {
      loginInFlight = (async () => {
        const code = await loginCode();
        const device = opts.deviceId?.() ?? null;
        const res = await send({
          url: buildUrl(baseUrl, '/v1/auth/login'),
          method: 'POST',
          header: { 'content-type': 'application/json', ...(device ? { 'x-device-id': device } : {}) },
          data: { code },
        });
        if (res.statusCode < 200 || res.statusCode >= 300) throw toApiError(res);
        const body = res.data as LoginResponse | null;
        if (!body || typeof body.token !== 'string') {
          throw new ApiError('BAD_RESPONSE', 'login answered without a token', res.statusCode);
        }
        tokens.set(body.token);
        return body;
      })().finally(() => {
        loginInFlight = null;
      });
    }
    return loginInFlight;
  }

  async function request<T>(method: HttpMethod, path: string, ro: RequestOptions = {}): Promise<T> {
    const auth = ro.auth ?? 'required';
    const header: Record<string, string> = {};
    if (ro.body !== undefined && !ro.file) header['content-type'] = 'application/json';
    // One key per user intent: the retry after a re-login is the same intent and must reuse it.
    if (ro.idempotent) header['idempotency-key'] = makeKey();
    const url = buildUrl(baseUrl, path, ro.query);

    const attempt = async (): Promise<TransportResponse> => {
      const h = { ...header };
      if (auth === 'required') {
        const token = tokens.get() ?? (await login()).token;
        h.authorization = `Bearer ${token}`;
      }
      return send({ url, method, header: h, data: ro.body, ...(ro.file ? { file: ro.file } : {}) });
    };

    let res = await attempt();
    if (res.statusCode === 401 && auth === 'required') {
      // Tokens expire while a card sits in a chat for days: log in again silently, once.
      tokens.set(null);
      await login();
      res = await attempt();
    }
    if (res.statusCode < 200 || res.statusCode >= 300) throw toApiError(res);
    return res.data as T;
  }

  return {
    request,
    login,
    logout: () => tokens.set(null),
  };
}
