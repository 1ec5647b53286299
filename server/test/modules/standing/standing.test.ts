import { describe, expect, it } from 'vitest';
import { campaign, createTeam, errorCode, login, testApp } from '../../helper.js';

const ctx = testApp();

describe('the campaign page', () => {
  it('shows a campaign with its rules, my energy, likes left today and my team', async () => {
    const c = await campaign(ctx, { rules: { dailyLikeCap: 7 } });
    const me = await login(ctx);
    let res = await me.get(`/v1/campaigns/${c.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().rules.dailyLikeCap).toBe(7);
    expect(res.json().me).toEqual({ energy: 0, likesLeftToday: 7, team: null });
    const team = await createTeam(me, c.id, '星河');
    res = await me.get(`/v1/campaigns/${c.id}`);
    expect(res.json().me.team).toMatchObject({ id: team.id, name: '星河', memberCount: 1, maxMembers: 5 });
  });

  it('answers 404 CAMPAIGN_NOT_FOUND for an unknown id and 400 for a malformed one', async () => {
    const me = await login(ctx);
    const missing = await me.get('/v1/campaigns/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(errorCode(missing)).toBe('CAMPAIGN_NOT_FOUND');
    const bad = await me.get('/v1/campaigns/not-a-uuid');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('params/id');
  });
});
