import { describe, expect, it } from 'vitest';
import { BOARD_REFRESH_MS } from '../../../src/modules/leaderboard/leaderboard.service.js';
import { campaign, createTeam, login, share, testApp } from '../../helper.js';

// The faces are https pictures from the platform's image host, which operators allow by name.
const ctx = testApp({ config: { JIZAN_AVATAR_HOSTS: 'img.example' } });

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
    expect(board).toEqual({ by: 'team', entries: [{ id: team.id, name: '红包收割机', avatarUrl: null, energy: 0, rank: 1 }], me: null });
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

describe('leaderboard faces, ties and the gap to climb', () => {
  /** A team of its own for `captain`, with `likes` friends' first likes (20 energy each). */
  async function teamWithLikes(c: { id: string }, name: string, likes: number) {
    const captain = await login(ctx);
    const team = await createTeam(captain, c.id, name);
    const card = await share(captain, c.id);
    for (let i = 0; i < likes; i++) await (await login(ctx)).post(`/v1/shares/${card}/like`);
    return { captain, team };
  }

  it("shows the captain's face for a team, ranks ties alike on the board and the team page, and tells me the gap", async () => {
    const c = await campaign(ctx);
    const top = await teamWithLikes(c, '第一', 3);
    const tieA = await teamWithLikes(c, '并列甲', 1);
    const tieB = await teamWithLikes(c, '并列乙', 1);
    const last = await teamWithLikes(c, '垫底', 0);
    expect((await top.captain.call({ method: 'PATCH', url: '/v1/me', payload: { avatarUrl: 'https://img.example/top.png' } })).statusCode).toBe(200);

    const board = (await last.captain.get(`/v1/campaigns/${c.id}/leaderboard?by=team`)).json();
    expect(board.entries.map((e: { name: string; rank: number }) => [e.name, e.rank])).toEqual([
      ['第一', 1],
      expect.arrayContaining([2]),
      expect.arrayContaining([2]),
      ['垫底', 4],
    ]);
    expect(board.entries[0].avatarUrl).toBe('https://img.example/top.png');
    expect(board.me).toMatchObject({ id: last.team.id, rank: 4, energy: 0, gapToPrevious: 20 });
    for (const t of [tieA, tieB]) {
      expect((await t.captain.get(`/v1/teams/${t.team.id}`)).json().rank).toBe(2);
      expect((await t.captain.get(`/v1/campaigns/${c.id}/leaderboard`)).json().me).toMatchObject({ rank: 2, gapToPrevious: 40 });
    }
    expect((await top.captain.get(`/v1/campaigns/${c.id}/leaderboard`)).json().me).toMatchObject({ rank: 1, gapToPrevious: null });
  });

  it('on the user board gives my face and the gap to the next user above, even before I earn energy', async () => {
    const c = await campaign(ctx);
    const { captain } = await teamWithLikes(c, '队', 2);
    const newcomer = await login(ctx);
    expect((await newcomer.call({ method: 'PATCH', url: '/v1/me', payload: { avatarUrl: 'https://img.example/me.png' } })).statusCode).toBe(200);
    const board = (await newcomer.get(`/v1/campaigns/${c.id}/leaderboard?by=user`)).json();
    expect(board.entries[0]).toMatchObject({ id: captain.id, rank: 1, energy: 40 });
    expect(board.me).toMatchObject({ id: newcomer.id, avatarUrl: 'https://img.example/me.png', energy: 0, gapToPrevious: 40 });
  });
});

describe('the listed rows and my row', () => {
  it('lists rows at most a couple of seconds old, shared by every reader, while my row is always live', async () => {
    const c = await campaign(ctx);
    const [top, me] = [await login(ctx), await login(ctx)];
    const [topCard, myCard] = [await share(top, c.id), await share(me, c.id)];
    await (await login(ctx)).post(`/v1/shares/${topCard}/like`);
    const first = (await me.get(`/v1/campaigns/${c.id}/leaderboard?by=user`)).json();
    expect(first.entries.map((e: { id: string; energy: number }) => [e.id, e.energy])).toEqual([
      [top.id, 20],
      [me.id, 0],
    ]);
    // Two friends like me: my row says so at once; the listing is the one read a moment ago.
    for (let i = 0; i < 2; i++) await (await login(ctx)).post(`/v1/shares/${myCard}/like`);
    const next = (await me.get(`/v1/campaigns/${c.id}/leaderboard?by=user`)).json();
    expect(next.me).toMatchObject({ id: me.id, energy: 40, rank: 1, gapToPrevious: null });
    expect(next.entries).toEqual(first.entries);
    // Once older than BOARD_REFRESH_MS, a read starts the refresh and the following ones see it.
    await new Promise((r) => setTimeout(r, BOARD_REFRESH_MS + 100));
    await me.get(`/v1/campaigns/${c.id}/leaderboard?by=user`);
    let fresh = first;
    for (let tries = 0; tries < 50 && fresh.entries[0].id !== me.id; tries++) {
      await new Promise((r) => setTimeout(r, 100));
      fresh = (await top.get(`/v1/campaigns/${c.id}/leaderboard?by=user`)).json();
    }
    expect(fresh.entries.map((e: { id: string; rank: number }) => [e.id, e.rank])).toEqual([
      [me.id, 1],
      [top.id, 2],
    ]);
  });
});
