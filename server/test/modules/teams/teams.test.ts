import { describe, expect, it } from 'vitest';
import { campaign, createTeam, errorCode, login, share, testApp } from '../../helper.js';

const ctx = testApp();

describe('teams', () => {
  it('makes the creator captain of a new team with one seat taken', async () => {
    const c = await campaign(ctx);
    const captain = await login(ctx);
    const res = await captain.post(`/v1/campaigns/${c.id}/teams`, { name: '  剁手联盟 ' });
    expect(res.statusCode).toBe(201);
    const team = res.json();
    expect(team).toMatchObject({ name: '剁手联盟', captainId: captain.id, energy: 0, rank: 1, maxMembers: 5, seatsLeft: 4 });
    expect(team.members).toEqual([expect.objectContaining({ id: captain.id, role: 'captain', energy: 0 })]);
    const fetched = await captain.get(`/v1/teams/${team.id}`);
    expect(fetched.json()).toEqual(team);
  });

  it('allows one team per user per campaign', async () => {
    const c = await campaign(ctx);
    const user = await login(ctx);
    await createTeam(user, c.id, 'A');
    const again = await user.post(`/v1/campaigns/${c.id}/teams`, { name: 'B' });
    expect(again.statusCode).toBe(409);
    expect(errorCode(again)).toBe('ALREADY_IN_TEAM');
    const other = await campaign(ctx);
    expect((await user.post(`/v1/campaigns/${other.id}/teams`, { name: 'B' })).statusCode).toBe(201);
  });

  it('refuses teams outside the campaign window', async () => {
    const now = ctx.clock.now().getTime();
    const ended = await campaign(ctx, { startsAt: new Date(now - 5e8), endsAt: new Date(now - 1000) });
    const user = await login(ctx);
    const res = await user.post(`/v1/campaigns/${ended.id}/teams`, { name: 'Late' });
    expect(res.statusCode).toBe(409);
    expect(errorCode(res)).toBe('CAMPAIGN_NOT_ACTIVE');
  });

  it('validates team names and answers 404 for unknown teams', async () => {
    const c = await campaign(ctx);
    const user = await login(ctx);
    for (const name of ['', '   ', 'x'.repeat(21), 12, null]) {
      const res = await user.post(`/v1/campaigns/${c.id}/teams`, { name });
      expect(res.statusCode, String(name)).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
    }
    const missing = await user.get('/v1/teams/00000000-0000-4000-8000-000000000000');
    expect(errorCode(missing)).toBe('TEAM_NOT_FOUND');
    expect(missing.statusCode).toBe(404);
  });

  it('fills through team cards until full, then answers TEAM_FULL', async () => {
    const c = await campaign(ctx, { rules: { teamSizeLimit: 3 } });
    const captain = await login(ctx);
    const team = await createTeam(captain, c.id);
    const card = await share(captain, c.id, 'team');
    const [a, b, late] = [await login(ctx), await login(ctx), await login(ctx)];
    expect((await a.post(`/v1/shares/${card}/join`)).statusCode).toBe(200);
    const joined = await b.post(`/v1/shares/${card}/join`);
    expect(joined.json()).toMatchObject({ id: team.id, seatsLeft: 0 });
    const memberIds = joined.json().members.map((m: { id: string }) => m.id);
    expect(memberIds[0]).toBe(captain.id);
    expect(memberIds.slice(1).sort()).toEqual([a.id, b.id].sort());
    const full = await late.post(`/v1/shares/${card}/join`);
    expect(full.statusCode).toBe(409);
    expect(errorCode(full)).toBe('TEAM_FULL');
    const twice = await a.post(`/v1/shares/${card}/join`);
    expect(errorCode(twice)).toBe('ALREADY_IN_TEAM');
  });

  it('refuses a team card from a user without a team, and joining a sharer who has none', async () => {
    const c = await campaign(ctx);
    const loner = await login(ctx);
    const res = await loner.post('/v1/shares', { campaignId: c.id, kind: 'team' });
    expect(res.statusCode).toBe(409);
    expect(errorCode(res)).toBe('NOT_IN_TEAM');
    const likeCard = await share(loner, c.id, 'like');
    const friend = await login(ctx);
    const join = await friend.post(`/v1/shares/${likeCard}/join`);
    expect(errorCode(join)).toBe('NOT_IN_TEAM');
  });

  it('ranks teams by energy with ties sharing a rank', async () => {
    const c = await campaign(ctx);
    const [x, y, z, fan] = [await login(ctx), await login(ctx), await login(ctx), await login(ctx)];
    const tx = await createTeam(x, c.id, 'X');
    const ty = await createTeam(y, c.id, 'Y');
    await createTeam(z, c.id, 'Z');
    await fan.post(`/v1/shares/${await share(x, c.id)}/like`);
    const board = (await fan.get(`/v1/campaigns/${c.id}/leaderboard?by=team`)).json();
    expect(board.entries[0]).toMatchObject({ id: tx.id, rank: 1, energy: 20 });
    expect(board.entries.slice(1).map((e: { rank: number }) => e.rank)).toEqual([2, 2]);
    expect((await y.get(`/v1/teams/${ty.id}`)).json().rank).toBe(2);
  });
});
