import { describe, expect, it } from 'vitest';
import { campaign, errorCode, login, testApp } from '../../helper.js';

const ctx = testApp({ config: { JIZAN_AVATAR_HOSTS: 'thirdwx.qlogo.cn', JIZAN_AVATAR_MAX_KB: '1' } });

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

function multipart(bytes: Buffer, filename = 'a.png', type = 'image/png') {
  const boundary = '----jizan-test-boundary';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${filename}"\r\ncontent-type: ${type}\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('names others read', () => {
  it('stores nicknames and team names NFC-normalised with whitespace folded', async () => {
    const me = await login(ctx);
    const res = await me.call({ method: 'PATCH', url: '/v1/me', payload: { nickname: '  Cafe\u0301   小王 ' } });
    expect(res.json().nickname).toBe('Café 小王');
    const c = await campaign(ctx);
    const team = await me.post(`/v1/campaigns/${c.id}/teams`, { name: ' 星河\u3000战队 ' });
    expect(team.json().name).toBe('星河 战队');
  });

  it('refuses invisible-only, bidi-override and multi-line nicknames and team names with 400', async () => {
    const me = await login(ctx);
    const c = await campaign(ctx);
    for (const bad of ['\u200B\u200B', '\u3164', 'evil\u202Egnp.exe', 'line\nbreak']) {
      const nick = await me.call({ method: 'PATCH', url: '/v1/me', payload: { nickname: bad } });
      expect(nick.statusCode, JSON.stringify(bad)).toBe(400);
      expect(errorCode(nick)).toBe('VALIDATION_FAILED');
      const team = await me.post(`/v1/campaigns/${c.id}/teams`, { name: bad });
      expect(team.statusCode, JSON.stringify(bad)).toBe(400);
    }
  });
});

describe('avatars', () => {
  it('takes an uploaded picture by its bytes, stores it and serves it back at the URL it becomes', async () => {
    const me = await login(ctx);
    const res = await me.call({ method: 'POST', url: '/v1/me/avatar', ...multipart(PNG, 'x.jpg', 'image/jpeg') });
    expect(res.statusCode, res.body).toBe(200);
    const url = res.json().avatarUrl as string;
    expect(url).toMatch(/^\/v1\/avatars\/[0-9a-f-]{36}\.png$/);
    const served = await ctx.app.inject({ method: 'GET', url });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.rawPayload.equals(PNG)).toBe(true);
    // Others see it on the user's profile.
    expect((await me.get('/v1/me')).json().avatarUrl).toBe(url);
  });

  it('refuses pictures that are not images, too large, or not multipart', async () => {
    const me = await login(ctx);
    const html = await me.call({ method: 'POST', url: '/v1/me/avatar', ...multipart(Buffer.from('<script>alert(1)</script>'), 'a.png') });
    expect(html.statusCode).toBe(415);
    expect(errorCode(html)).toBe('UNSUPPORTED_MEDIA_TYPE');
    const big = await me.call({ method: 'POST', url: '/v1/me/avatar', ...multipart(Buffer.concat([PNG, Buffer.alloc(4096)])) });
    expect(big.statusCode).toBe(413);
    expect(errorCode(big)).toBe('PAYLOAD_TOO_LARGE');
    const json = await me.call({ method: 'POST', url: '/v1/me/avatar', payload: { avatar: 'x' } });
    expect(json.statusCode).toBe(415);
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/avatars/00000000-0000-4000-8000-000000000000.png' })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/avatars/..%2F..%2Fetc%2Fpasswd' })).statusCode).toBe(400);
  });

  it('accepts external avatar URLs only over https from an allowed host', async () => {
    const me = await login(ctx);
    const ok = await me.call({ method: 'PATCH', url: '/v1/me', payload: { avatarUrl: 'https://thirdwx.qlogo.cn/mmopen/abc/132' } });
    expect(ok.statusCode).toBe(200);
    for (const bad of ['//any-host/x.png', 'http://thirdwx.qlogo.cn/x', 'https://evil.example/x.png', 'https://thirdwx.qlogo.cn.evil.example/x', 'https://u:p@thirdwx.qlogo.cn/x', 'wxfile://tmp_abc.jpg', '/v1/avatars/../../x']) {
      const res = await me.call({ method: 'PATCH', url: '/v1/me', payload: { avatarUrl: bad } });
      expect(res.statusCode, bad).toBe(400);
    }
  });
});
