import { describe, expect, it } from 'vitest';
import { errorCode, login, testApp } from '../../helper.js';

const ctx = testApp({ config: { JIZAN_AVATAR_HOSTS: 'img.example' } });

describe('my profile', () => {
  it('shows a generated default until the user sets a nickname and avatar', async () => {
    const me = await login(ctx);
    const before = (await me.get('/v1/me')).json();
    expect(before).toMatchObject({ id: me.id, avatarUrl: null, profileCompleted: false });
    expect(before.nickname).toMatch(/^集赞好友[0-9A-F]{4}$/);
    const res = await me.call({ method: 'PATCH', url: '/v1/me', payload: { nickname: ' 小红 ', avatarUrl: 'https://img.example/a.png' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ nickname: '小红', avatarUrl: 'https://img.example/a.png', profileCompleted: true });
    expect((await me.get('/v1/me')).json().nickname).toBe('小红');
  });

  it('refuses empty patches, wrong types, huge strings and odd URLs with field paths', async () => {
    const me = await login(ctx);
    const cases: unknown[] = [{}, { nickname: '' }, { nickname: 5 }, { nickname: 'x'.repeat(33) }, { avatarUrl: 'javascript:alert(1)' }, { avatarUrl: 'h'.repeat(600) }];
    for (const payload of cases) {
      const res = await me.call({ method: 'PATCH', url: '/v1/me', payload: payload as object });
      expect(res.statusCode, JSON.stringify(payload).slice(0, 50)).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
      expect(Array.isArray(res.json().error.details)).toBe(true);
    }
    const wrong = await me.call({ method: 'PATCH', url: '/v1/me', payload: { nickname: 5 } });
    expect(wrong.json().error.details[0].path).toBe('body/nickname');
    expect((await me.get('/v1/me')).json().profileCompleted).toBe(false);
  });
});
