import { describe, expect, it } from 'vitest';
import { ApiError, createHttpClient, type TransportRequest, type TransportResponse } from '../src/services/http';
import { createApi } from '../src/services/api';

/** A fake server: answers from a handler and records every request the client made. */
function setup(handler: (req: TransportRequest, n: number) => TransportResponse | Promise<TransportResponse>) {
  const calls: TransportRequest[] = [];
  let token: string | null = null;
  let logins = 0;
  const http = createHttpClient({
    baseUrl: 'https://api.example.test/',
    transport: async (req) => {
      calls.push(req);
      return handler(req, calls.length);
    },
    tokens: { get: () => token, set: (t) => (token = t) },
    loginCode: async () => `code-${++logins}`,
  });
  return { http, api: createApi(http), calls, getToken: () => token, logins: () => logins };
}

const loginOk = (req: TransportRequest): TransportResponse => ({
  statusCode: 200,
  data: {
    token: `tok-for-${(req.data as { code: string }).code}`,
    expiresAt: '2030-01-01T00:00:00Z',
    user: { id: 'u1', nickname: 'A', avatarUrl: null },
  },
});

const isLogin = (req: TransportRequest) => req.url.endsWith('/v1/auth/login');

describe('API client', () => {
  it('logs in on first use and sends the token as a Bearer header', async () => {
    const { api, calls } = setup((req) => (isLogin(req) ? loginOk(req) : { statusCode: 200, data: { campaigns: [] } }));
    const res = await api.campaigns();
    expect(res.campaigns).toEqual([]);
    expect(calls.map((c) => c.url)).toEqual(['https://api.example.test/v1/auth/login', 'https://api.example.test/v1/campaigns']);
    expect(calls[0]!.data).toEqual({ code: 'code-1' });
    expect(calls[1]!.header.authorization).toBe('Bearer tok-for-code-1');
  });

  it("sends the install's device id with the login, and only there", async () => {
    const calls: TransportRequest[] = [];
    const http = createHttpClient({
      baseUrl: '',
      transport: async (req) => {
        calls.push(req);
        return isLogin(req) ? loginOk(req) : { statusCode: 200, data: { campaigns: [] } };
      },
      tokens: { get: () => null, set: () => undefined },
      loginCode: async () => 'code',
      deviceId: () => 'd-install-1',
    });
    await http.request('GET', '/v1/campaigns');
    expect(calls[0]!.header['x-device-id']).toBe('d-install-1');
    expect(calls[1]!.header['x-device-id']).toBeUndefined();
  });

  it('on a 401 logs in again once and retries with the new token', async () => {
    const { api, calls, logins } = setup((req) => {
      if (isLogin(req)) return loginOk(req);
      return req.header.authorization === 'Bearer tok-for-code-2'
        ? { statusCode: 200, data: { id: 'u1' } }
        : { statusCode: 401, data: { error: { code: 'UNAUTHENTICATED', message: 'expired' } } };
    });
    await expect(api.me()).resolves.toEqual({ id: 'u1' });
    expect(logins()).toBe(2);
    expect(calls.filter((c) => c.url.endsWith('/v1/me'))).toHaveLength(2);
  });

  it('uploads an avatar as a file under the same login: a 401 logs in again once and sends the file again', async () => {
    const { api, calls, logins } = setup((req) => {
      if (isLogin(req)) return loginOk(req);
      return req.header.authorization === 'Bearer tok-for-code-2'
        ? { statusCode: 200, data: { id: 'u1', avatarUrl: '/v1/avatars/a.png' } }
        : { statusCode: 401, data: { error: { code: 'UNAUTHENTICATED', message: 'expired' } } };
    });
    await expect(api.uploadAvatar('wxfile://tmp/face.png')).resolves.toMatchObject({ avatarUrl: '/v1/avatars/a.png' });
    expect(logins()).toBe(2);
    const uploads = calls.filter((c) => c.url === 'https://api.example.test/v1/me/avatar');
    expect(uploads).toHaveLength(2);
    for (const u of uploads) {
      expect(u).toMatchObject({ method: 'POST', file: { path: 'wxfile://tmp/face.png', field: 'file' } });
      expect(u.header['content-type']).toBeUndefined();
    }
  });

  it('gives up after one re-login when the server keeps answering 401', async () => {
    const { api, calls, logins } = setup((req) =>
      isLogin(req) ? loginOk(req) : { statusCode: 401, data: { error: { code: 'UNAUTHENTICATED', message: 'no' } } },
    );
    const err = await api.me().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('UNAUTHENTICATED');
    expect(logins()).toBe(2);
    expect(calls).toHaveLength(4);
  });

  it('shares one login between requests made at the same time', async () => {
    const { api, logins } = setup((req) => (isLogin(req) ? loginOk(req) : { statusCode: 200, data: {} }));
    await Promise.all([api.me(), api.campaigns(), api.team('t1')]);
    expect(logins()).toBe(1);
  });

  it("surfaces the server's error code, message and status", async () => {
    const { api } = setup((req) =>
      isLogin(req)
        ? loginOk(req)
        : { statusCode: 409, data: { error: { code: 'ALREADY_LIKED', message: 'already liked today', details: { x: 1 } } } },
    );
    const err = (await api.like('s1').catch((e: unknown) => e)) as ApiError;
    expect(err).toMatchObject({ code: 'ALREADY_LIKED', message: 'already liked today', status: 409, details: { x: 1 } });
  });

  it('classifies answers that are not the API error shape by status', async () => {
    const { api } = setup((req) => (isLogin(req) ? loginOk(req) : { statusCode: 502, data: '<html>Bad gateway</html>' }));
    await expect(api.me()).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 502 });
  });

  it('reports a failure to reach the server as NETWORK', async () => {
    const { api } = setup(() => {
      throw new Error('request:fail timeout');
    });
    await expect(api.campaigns()).rejects.toMatchObject({ code: 'NETWORK', status: 0 });
  });

  it('fails login cleanly when the login code is refused', async () => {
    const { api } = setup(() => ({ statusCode: 401, data: { error: { code: 'LOGIN_CODE_INVALID', message: 'bad code' } } }));
    await expect(api.me()).rejects.toMatchObject({ code: 'LOGIN_CODE_INVALID' });
  });

  it('sends an Idempotency-Key on like and join, the same key on the retry after re-login, none on reads', async () => {
    let first = true;
    const { api, calls } = setup((req) => {
      if (isLogin(req)) return loginOk(req);
      if (req.url.endsWith('/like') && first) {
        first = false;
        return { statusCode: 401, data: { error: { code: 'UNAUTHENTICATED', message: 'expired' } } };
      }
      return { statusCode: 200, data: {} };
    });
    await api.like('tok/1');
    await api.join('tok/1');
    await api.shareLanding('tok/1');
    const likes = calls.filter((c) => c.url.endsWith('/like'));
    expect(likes).toHaveLength(2);
    expect(likes[0]!.header['idempotency-key']).toMatch(/^[a-z0-9-]{8,128}$/);
    expect(likes[1]!.header['idempotency-key']).toBe(likes[0]!.header['idempotency-key']);
    const join = calls.find((c) => c.url.endsWith('/join'))!;
    expect(join.url).toBe('https://api.example.test/v1/shares/tok%2F1/join');
    expect(join.method).toBe('POST');
    expect(join.header['idempotency-key']).toBeTruthy();
    expect(join.header['idempotency-key']).not.toBe(likes[0]!.header['idempotency-key']);
    expect(calls.find((c) => c.method === 'GET')!.header['idempotency-key']).toBeUndefined();
  });

  it('asks for a share landing without any login in single-page mode', async () => {
    const { api, calls } = setup(() => ({ statusCode: 200, data: { token: 's' } }));
    await api.shareLanding('s', true);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.header.authorization).toBeUndefined();
  });

  it('puts paging parameters in the query and leaves out the empty cursor', async () => {
    const { api, calls } = setup((req) => (isLogin(req) ? loginOk(req) : { statusCode: 200, data: {} }));
    await api.ledger('c1', null, 20);
    await api.ledger('c1', 'abc_-1', 20);
    await api.leaderboard('c1', 'user', 10);
    const urls = calls.filter((c) => !isLogin(c)).map((c) => c.url.replace('https://api.example.test', ''));
    expect(urls).toEqual([
      '/v1/me/ledger?campaignId=c1&limit=20',
      '/v1/me/ledger?campaignId=c1&cursor=abc_-1&limit=20',
      '/v1/campaigns/c1/leaderboard?by=user&limit=10',
    ]);
  });
});
