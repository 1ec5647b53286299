import { describe, expect, it } from 'vitest';
import { contentJobs } from '../../../src/jobs/content-recheck.js';
import { WECHAT_PUSH_PATH } from '../../../src/plugins/wechat-push.js';
import { mediaChecks } from '../../../src/sim/wechat/content-security.js';
import { mediaVerdictPush } from '../../../src/sim/wechat/push.js';
import { errorCode, login, testApp } from '../../helper.js';

const TOKEN = 'jizanPushToken2026';
const ctx = testApp({ config: { WECHAT_PUSH_TOKEN: TOKEN } });
const sim = () => ctx.app.wechat!.sim!;

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 2)]);
const boundary = '----push-boundary';
const upload = {
  payload: Buffer.concat([
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.png"\r\ncontent-type: image/png\r\n\r\n`),
    PNG,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]),
  headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
};

async function userWithAvatar() {
  const me = await login(ctx);
  const up = await me.call({ method: 'POST', url: '/v1/me/avatar', ...upload });
  expect(up.statusCode, up.body).toBe(200);
  const url = up.json().avatarUrl as string;
  const check = mediaChecks(sim()).find((m) => m.mediaUrl.endsWith(url))!;
  expect(check).toBeDefined();
  return { me, check };
}

const push = (p: { query: Record<string, string>; body: Record<string, unknown> }) =>
  ctx.app.inject({ method: 'POST', url: WECHAT_PUSH_PATH, query: p.query, payload: p.body });

describe('the platform\'s message push', () => {
  it('answers the URL check with echostr only when the signature is made with our Token', async () => {
    const { query } = mediaVerdictPush({ traceId: 't', openid: 'o', mediaUrl: 'x', at: ctx.clock.now() }, { suggest: 'pass', label: 100 }, { token: TOKEN, appId: sim().appId, now: ctx.clock.now() });
    const ok = await ctx.app.inject({ method: 'GET', url: WECHAT_PUSH_PATH, query: { ...query, echostr: '4723512961573' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('4723512961573');
    const forged = await ctx.app.inject({ method: 'GET', url: WECHAT_PUSH_PATH, query: { ...query, signature: 'f'.repeat(40), echostr: '1' } });
    expect(forged.statusCode).toBe(401);
    expect(errorCode(forged)).toBe('PUSH_SIGNATURE_INVALID');
  });

  it('a risky verdict pushed later takes the avatar down and its owner is told; a forged or stale push changes nothing', async () => {
    const { me, check } = await userWithAvatar();
    const opts = { token: TOKEN, appId: sim().appId, now: ctx.clock.now() };

    const forged = mediaVerdictPush(check, { suggest: 'risky', label: 20002 }, { ...opts, token: 'notOurToken' });
    expect(errorCode(await push(forged))).toBe('PUSH_SIGNATURE_INVALID');
    const stale = mediaVerdictPush(check, { suggest: 'risky', label: 20002 }, { ...opts, now: new Date(opts.now.getTime() - 10 * 60_000) });
    expect(errorCode(await push(stale))).toBe('PUSH_SIGNATURE_INVALID');
    expect((await me.get('/v1/me')).json()).toMatchObject({ avatarHidden: false });

    const genuine = await push(mediaVerdictPush(check, { suggest: 'risky', label: 20002 }, opts));
    expect(genuine.statusCode).toBe(200);
    expect(genuine.body).toBe('success');
    expect((await me.get('/v1/me')).json()).toMatchObject({ avatarUrl: null, avatarHidden: true });
    // The platform retries a push it thinks was lost: acknowledged again, nothing more happens.
    expect((await push(mediaVerdictPush(check, { suggest: 'risky', label: 20002 }, opts))).body).toBe('success');
  });

  it('a passing verdict leaves the avatar up, and events it does not use are acknowledged', async () => {
    const { me, check } = await userWithAvatar();
    const opts = { token: TOKEN, appId: sim().appId, now: ctx.clock.now() };
    expect((await push(mediaVerdictPush(check, { suggest: 'pass', label: 100 }, opts))).body).toBe('success');
    const after = (await me.get('/v1/me')).json();
    expect(after.avatarHidden).toBe(false);
    expect(after.avatarUrl).toMatch(/^\/v1\/avatars\//);
    const other = mediaVerdictPush(check, { suggest: 'pass', label: 100 }, opts);
    const popup = await push({ query: other.query, body: { MsgType: 'event', Event: 'subscribe_msg_popup_event' } });
    expect(popup.statusCode).toBe(200);
  });
});

describe('the content-recheck job', () => {
  it('shows a name held while the platform was down once it answers, asking at most once a period', async () => {
    const me = await login(ctx);
    sim().fail({ kind: 'down', path: '/wxa/msg_sec_check', times: 1 });
    const res = await me.call({ method: 'PATCH', url: '/v1/me', payload: { nickname: '等平台的名字' } });
    expect(res.json()).toMatchObject({ pendingNickname: '等平台的名字' });

    const [job] = contentJobs();
    const deps = { content: { db: ctx.database.db, clock: ctx.clock, content: ctx.app.deps.content, everyMs: 60_000 } };
    const signal = new AbortController().signal;
    expect(await job!.run(deps, signal)).toBeGreaterThanOrEqual(1);
    expect((await me.get('/v1/me')).json()).toMatchObject({ nickname: '等平台的名字', pendingNickname: null });

    // Within the period the platform is not asked again, whatever is held meanwhile.
    const asked = sim().count('/wxa/msg_sec_check');
    await me.call({ method: 'PATCH', url: '/v1/me', payload: { nickname: '待审核的新名字' } });
    expect(await job!.run(deps, signal)).toBe(0);
    expect(sim().count('/wxa/msg_sec_check')).toBe(asked + 1);
    ctx.clock.advance(61_000);
    await job!.run(deps, signal);
    expect(sim().count('/wxa/msg_sec_check')).toBeGreaterThan(asked + 1);
  });
});
