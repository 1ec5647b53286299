import { describe, expect, it } from 'vitest';
import { applyAvatarVerdict, recheckHeldProfiles } from '../../../src/modules/users/users.service.js';
import { mediaChecks } from '../../../src/sim/wechat/content-security.js';
import { campaign, errorCode, login, testApp } from '../../helper.js';

// A short deadline, so a slow platform turns into "held" quickly.
const ctx = testApp({ config: { JIZAN_CONTENT_CHECK_DEADLINE_MS: '300' } });
const sim = () => ctx.app.wechat!.sim!;

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
function multipart(bytes: Buffer) {
  const b = '----reach-boundary';
  return {
    payload: Buffer.concat([Buffer.from(`--${b}\r\ncontent-disposition: form-data; name="file"; filename="a.png"\r\ncontent-type: image/png\r\n\r\n`), bytes, Buffer.from(`\r\n--${b}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${b}` },
  };
}

describe('content security of names strangers see', () => {
  it('a nickname the platform passes is shown to everyone at once', async () => {
    const me = await login(ctx);
    const res = await me.call({ method: 'PATCH', url: '/v1/me', payload: { nickname: '星河小王' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ nickname: '星河小王', pendingNickname: null });
  });

  it('a nickname the platform judges risky is refused with a Chinese reason and changes nothing', async () => {
    const me = await login(ctx);
    const before = (await me.get('/v1/me')).json().nickname;
    const res = await me.call({ method: 'PATCH', url: '/v1/me', payload: { nickname: '一起来赌博' } });
    expect(res.statusCode).toBe(422);
    expect(errorCode(res)).toBe('CONTENT_REFUSED');
    expect(res.json().error.message).toContain('昵称含有违法犯罪内容');
    expect((await me.get('/v1/me')).json().nickname).toBe(before);
  });

  it('a team name judged risky is refused; one the platform cannot judge founds the team under a stand-in name', async () => {
    const c = await campaign(ctx);
    const captain = await login(ctx);
    const refused = await captain.post(`/v1/campaigns/${c.id}/teams`, { name: '加微信领红包' });
    expect(refused.statusCode).toBe(422);
    expect(errorCode(refused)).toBe('CONTENT_REFUSED');
    expect(refused.json().error.message).toContain('队名');

    sim().fail({ kind: 'down', path: '/wxa/msg_sec_check', times: 1 });
    const held = await captain.post(`/v1/campaigns/${c.id}/teams`, { name: '星河战队' });
    expect(held.statusCode, held.body).toBe(201);
    const team = held.json();
    expect(team.namePending).toBe(true);
    expect(team.name).not.toBe('星河战队');
    // A stranger reading the team never sees the unchecked name.
    const stranger = await login(ctx);
    expect((await stranger.get(`/v1/teams/${team.id}`)).json().name).not.toBe('星河战队');

    // Once the platform answers again the recheck shows it.
    const { recheckPendingTeamNames } = await import('../../../src/modules/teams/teams.service.js');
    expect(await recheckPendingTeamNames(ctx.app.deps)).toBeGreaterThanOrEqual(1);
    const after = (await stranger.get(`/v1/teams/${team.id}`)).json();
    expect(after).toMatchObject({ name: '星河战队', namePending: false });
  });

  it('a nickname set while the platform is down or slow is held from strangers, and the set never waits past the deadline', async () => {
    const me = await login(ctx);
    const shown = (await me.get('/v1/me')).json().nickname;
    sim().fail({ kind: 'slow', delayMs: 3000, path: '/wxa/msg_sec_check', times: 1 });
    const started = Date.now();
    const res = await me.call({ method: 'PATCH', url: '/v1/me', payload: { nickname: '晚到的名字' } });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ nickname: shown, pendingNickname: '晚到的名字' });

    sim().clearFaults();
    await recheckHeldProfiles(ctx.app.deps);
    expect((await me.get('/v1/me')).json()).toMatchObject({ nickname: '晚到的名字', pendingNickname: null });
  });

  it('a text the platform sends for review is held, not shown', async () => {
    const me = await login(ctx);
    const res = await me.call({ method: 'PATCH', url: '/v1/me', payload: { nickname: '待审核的名字' } });
    expect(res.json().pendingNickname).toBe('待审核的名字');
  });
});

describe('avatars and the late media verdict', () => {
  it('an uploaded avatar is shown once submitted; a risky verdict arriving later takes it down and tells its owner', async () => {
    const me = await login(ctx);
    const up = await me.call({ method: 'POST', url: '/v1/me/avatar', ...multipart(PNG) });
    expect(up.statusCode, up.body).toBe(200);
    const url = up.json().avatarUrl as string;
    expect(url).toMatch(/^\/v1\/avatars\//);
    const check = mediaChecks(sim()).find((m) => m.mediaUrl.endsWith(url));
    expect(check, 'the platform was asked about the picture by URL').toBeTruthy();

    const verdict = await applyAvatarVerdict(ctx.app.deps, { traceId: check!.traceId, suggest: 'risky', label: 20002 });
    expect(verdict.hidden).toBe(true);
    expect((await me.get('/v1/me')).json()).toMatchObject({ avatarUrl: null, avatarHidden: true });
    // The same push again changes nothing.
    expect((await applyAvatarVerdict(ctx.app.deps, { traceId: check!.traceId, suggest: 'risky', label: 20002 })).hidden).toBe(false);
  });

  it('an avatar whose check cannot be submitted is held from everyone until it can', async () => {
    const me = await login(ctx);
    sim().fail({ kind: 'down', path: '/wxa/media_check_async', times: 1 });
    const up = await me.call({ method: 'POST', url: '/v1/me/avatar', ...multipart(PNG) });
    expect(up.json()).toMatchObject({ avatarUrl: null, avatarPending: true });
    await recheckHeldProfiles(ctx.app.deps);
    const now = (await me.get('/v1/me')).json();
    expect(now.avatarPending).toBe(false);
    expect(now.avatarUrl).toMatch(/^\/v1\/avatars\//);
  });
});

describe('poster codes', () => {
  it('round trip: a card gets a code (a real PNG) whose scene opens the same card, recorded as a poster open', async () => {
    const c = await campaign(ctx);
    const sharer = await login(ctx);
    const card = (await sharer.post('/v1/shares', { campaignId: c.id, kind: 'like' })).json();
    expect(card.imageUrl).toBe('/v1/share-images/like.png');
    const picture = await ctx.app.inject({ method: 'GET', url: card.imageUrl });
    expect(picture.headers['content-type']).toBe('image/png');

    const code = await ctx.app.inject({ method: 'GET', url: `/v1/shares/${card.token}/poster-code` });
    expect(code.statusCode, code.body).toBe(200);
    expect(code.headers['content-type']).toBe('image/png');
    expect(code.rawPayload.subarray(0, 4).toString('hex')).toBe('89504e47');

    const row = await ctx.database.db.execute(
      `select s.scene from share_scenes s join shares sh on sh.id = s.share_id where sh.token = '${card.token}'` as never,
    );
    const scene = ((row as unknown as { rows: { scene: string }[] }).rows ?? (row as unknown as { scene: string }[]))[0]!.scene;
    expect(scene).toMatch(/^[A-Za-z0-9]{12}$/);

    const resolved = await ctx.app.inject({ method: 'GET', url: `/v1/share-scenes/${scene}` });
    expect(resolved.json()).toEqual({ token: card.token, path: card.path });
    const friend = await login(ctx);
    const landing = await friend.get(`/v1/shares/${card.token}?channel=poster`);
    expect(landing.statusCode).toBe(200);
    await ctx.app.deps.shareOpens.flush();
  });

  it('an unknown scene answers SHARE_SCENE_NOT_FOUND, a clear dead link', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/share-scenes/NoSuchScene1' });
    expect(res.statusCode).toBe(404);
    expect(errorCode(res)).toBe('SHARE_SCENE_NOT_FOUND');
  });

  it('a platform that cannot draw the code answers 503, and the card still opens', async () => {
    const c = await campaign(ctx);
    const sharer = await login(ctx);
    const card = (await sharer.post('/v1/shares', { campaignId: c.id, kind: 'like' })).json();
    sim().fail({ kind: 'down', path: '/wxa/getwxacodeunlimit', times: 1 });
    const code = await ctx.app.inject({ method: 'GET', url: `/v1/shares/${card.token}/poster-code` });
    expect(code.statusCode).toBe(503);
    expect((await (await login(ctx)).get(`/v1/shares/${card.token}`)).statusCode).toBe(200);
  });
});
