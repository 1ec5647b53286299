import { describe, expect, it } from 'vitest';
import { findDrift } from '../../src/modules/ledger/ledger.service.js';
import { seedDemo } from '../../src/seed/demo.js';
import { login, testApp } from '../helper.js';

const ctx = testApp();

describe('the demo seed', () => {
  it('makes a live campaign with teams and likes that obey the rules, once', async () => {
    const progress: number[] = [];
    const first = await seedDemo(ctx.app.deps, { slug: 'demo-test', likes: 60, teams: 3, membersPerTeam: 3, onProgress: (n) => progress.push(n) });
    expect(first).toMatchObject({ created: true, likes: 60 });
    expect(progress.at(-1)).toBe(60);

    const captain = await login(ctx, 'xiaoming');
    const board = (await captain.get(`/v1/campaigns/${first.campaignId}/leaderboard?by=team`)).json();
    expect(board.entries).toHaveLength(3);
    expect(board.entries.reduce((sum: number, e: { energy: number }) => sum + e.energy, 0)).toBeGreaterThanOrEqual(60 * 10);
    expect(board.me.name).toBe('星河战队');
    const detail = (await captain.get(`/v1/campaigns/${first.campaignId}`)).json();
    expect(detail.status).toBe('live');
    expect(detail.me.team.memberCount).toBe(3);
    expect(await findDrift(ctx.database.db)).toEqual([]);

    const again = await seedDemo(ctx.app.deps, { slug: 'demo-test', likes: 60 });
    expect(again).toEqual({ campaignId: first.campaignId, created: false, likes: 0 });
  });
});
