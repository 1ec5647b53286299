import { describe, expect, it } from 'vitest';
import { campaign, createTeam, login, share, testApp } from '../../helper.js';

const ctx = testApp();

describe('leaderboard', () => {
  it('lists users by energy and pins my own rank even when I am outside the top N', async () => {
    const c = await campaign(ctx);
    const users = [];
    for (let i = 0; i < 4; i++) users.push(await login(ctx));
    // user i receives i likes, so ranks are the reverse of i.
    for (let i = 0; i < 4; i++) {
      const card = await share(users[i]!, c.id);
      for (let k = 0; k < i; k++) await (await login(ctx)).post(`/v1/shares/${card}/like`);
    }
    const res = await users[0]!.get(`/v1/campaigns/${c.id}/leaderboard?by=user&limit=2`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.by).toBe('user');
    expect(body.entries.map((e: { id: string }) => e.id)).toEqual([users[3]!.id, users[2]!.id]);
    expect(body.entries[0]).toMatchObject({ energy: 60, rank: 1, name: users[3]!.nickname });
    expect(body.me).toMatchObject({ id: users[0]!.id, energy: 0, rank: 4 });
  });

  it('defaults to teams, and me is null for a user without a team', async () => {
    const c = await campaign(ctx);
    const captain = await login(ctx);
    const team = await createTeam(captain, c.id, '红包收割机');
    const loner = await login(ctx);
    const board = (await loner.get(`/v1/campaigns/${c.id}/leaderboard`)).json();
    expect(board).toEqual({ by: 'team', entries: [{ id: team.id, name: '红包收割机', energy: 0, rank: 1 }], me: null });
    expect((await captain.get(`/v1/campaigns/${c.id}/leaderboard`)).json().me.id).toBe(team.id);
    // On the user board everyone has a place, even before earning any energy.
    const byUser = (await loner.get(`/v1/campaigns/${c.id}/leaderboard?by=user`)).json();
    expect(byUser.me).toMatchObject({ id: loner.id, energy: 0, rank: 1 });
  });

  it('refuses an unknown ranking or a silly limit with 400', async () => {
    const c = await campaign(ctx);
    const me = await login(ctx);
    for (const q of ['by=planet', 'limit=0', 'limit=101', 'limit=abc']) {
      const res = await me.get(`/v1/campaigns/${c.id}/leaderboard?${q}`);
      expect(res.statusCode, q).toBe(400);
    }
  });
});
