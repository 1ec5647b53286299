import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { invitations, shareOpens } from '../../../src/db/schema/index.js';
import { campaign, createTeam, errorCode, login, share, testApp } from '../../helper.js';

const ctx = testApp();

describe('making a share card', () => {
  it('returns a signed token, the mini-program page path carrying it and a card title', async () => {
    const c = await campaign(ctx, { name: '双11' });
    const me = await login(ctx);
    await me.call({ method: 'PATCH', url: '/v1/me', payload: { nickname: '小明' } });
    await createTeam(me, c.id, '星河');
    const like = (await me.post('/v1/shares', { campaignId: c.id, kind: 'like' })).json();
    expect(like.token).toMatch(/^[\w-]{16}\.[\w-]{16}$/);
    expect(like.path).toBe(`/pages/share/index?token=${like.token}`);
    expect(like.title).toContain('小明');
    const team = (await me.post('/v1/shares', { campaignId: c.id, kind: 'team' })).json();
    expect(team.title).toContain('星河');
    expect(team.token).not.toBe(like.token);
  });

  it('refuses unknown kinds and campaigns', async () => {
    const me = await login(ctx);
    const c = await campaign(ctx);
    expect((await me.post('/v1/shares', { campaignId: c.id, kind: 'pyramid' })).statusCode).toBe(400);
    const missing = await me.post('/v1/shares', { campaignId: '00000000-0000-4000-8000-000000000000', kind: 'like' });
    expect(errorCode(missing)).toBe('CAMPAIGN_NOT_FOUND');
  });
});

describe('the share landing', () => {
  it('tells the viewer who shared, the team, and what they may do', async () => {
    const c = await campaign(ctx);
    const sharer = await login(ctx);
    const team = await createTeam(sharer, c.id, '早鸟');
    const card = await share(sharer, c.id, 'team');
    const friend = await login(ctx);
    const landing = (await friend.get(`/v1/shares/${card}`)).json();
    expect(landing).toMatchObject({
      kind: 'team',
      sharer: { id: sharer.id },
      team: { id: team.id, name: '早鸟', memberCount: 1, maxMembers: 5 },
      viewer: { authenticated: true, isSharer: false, canLike: true, likeBlockedBy: null, canJoin: true, joinBlockedBy: null },
    });
    await friend.post(`/v1/shares/${card}/like`);
    await friend.post(`/v1/shares/${card}/join`);
    const after = (await friend.get(`/v1/shares/${card}`)).json();
    // Now a teammate: refused for that first (teammate likes are off by default), then for the like already given.
    expect(after.viewer).toMatchObject({ canLike: false, likeBlockedBy: 'TEAMMATE_LIKE', canJoin: false, joinBlockedBy: 'ALREADY_IN_TEAM' });
    expect(after.team.energy).toBe(20);
    const own = (await sharer.get(`/v1/shares/${card}`)).json();
    expect(own.viewer).toMatchObject({ isSharer: true, likeBlockedBy: 'SELF_LIKE' });
  });

  it('records every open, and the first card a newcomer opens as their inviter, never moved later', async () => {
    const c = await campaign(ctx);
    const [alice, bob, carol] = [await login(ctx), await login(ctx), await login(ctx)];
    const aliceCard = await share(alice, c.id);
    const bobCard = await share(bob, c.id);
    await carol.get(`/v1/shares/${aliceCard}`);
    await carol.get(`/v1/shares/${bobCard}`);
    await ctx.app.inject({ method: 'GET', url: `/v1/shares/${bobCard}` });
    // Bob already shares in this campaign, so opening Alice's card does not make him her invitee.
    await bob.get(`/v1/shares/${aliceCard}`);
    const edges = await ctx.database.db.select().from(invitations).where(eq(invitations.campaignId, c.id));
    expect(edges.map((e) => [e.inviterId, e.inviteeId])).toEqual([[alice.id, carol.id]]);
    // Opens are written in batches, a second after the first at the latest; flush them now.
    await ctx.app.deps.shareOpens.flush();
    const opens = await ctx.database.db.select().from(shareOpens);
    expect(opens.filter((o) => o.viewerId === null).length).toBeGreaterThanOrEqual(1);
    expect(opens.filter((o) => o.viewerId === carol.id)).toHaveLength(2);
  });
});

describe('what the landing shows before the tap', () => {
  it("shows the sharer's energy and helpers, and whether the viewer is a teammate", async () => {
    const c = await campaign(ctx);
    const sharer = await login(ctx);
    const team = await createTeam(sharer, c.id, '冲鸭');
    const card = await share(sharer, c.id, 'team');
    const friend = await login(ctx);
    const before = (await friend.get(`/v1/shares/${card}`)).json();
    expect(before).toMatchObject({ sharerEnergy: 0, helpers: { count: 0, recent: [] }, viewer: { teamId: null } });

    await friend.post(`/v1/shares/${card}/like`);
    await friend.post(`/v1/shares/${card}/join`);
    const after = (await friend.get(`/v1/shares/${card}`)).json();
    expect(after).toMatchObject({
      sharerEnergy: 20,
      helpers: { count: 1, recent: [{ id: friend.id, nickname: friend.nickname }] },
      viewer: { teamId: team.id },
    });
    // Opened without a login (Moments), the landing still persuades: energy and helpers, no viewer team.
    const anonymous = (await ctx.app.inject({ method: 'GET', url: `/v1/shares/${card}` })).json();
    expect(anonymous).toMatchObject({ sharerEnergy: 20, helpers: { count: 1 }, viewer: { authenticated: false, teamId: null } });
  });
});
