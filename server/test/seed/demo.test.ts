import { describe, expect, it } from 'vitest';
import { findDrift } from '../../src/modules/ledger/ledger.service.js';
import { findGroupBuyDrift } from '../../src/modules/groupbuy/groupbuy.service.js';
import { seedDemo } from '../../src/seed/demo.js';
import { deps as groupBuyDeps } from '../modules/groupbuy/fixtures.js';
import { login, testApp } from '../helper.js';

const ctx = testApp();

describe('the demo seed', () => {
  it('makes a live campaign with teams and likes that obey the rules, once', async () => {
    const progress: number[] = [];
    const first = await seedDemo({ ...ctx.app.deps, groupBuy: groupBuyDeps(ctx) }, { slug: 'demo-test', likes: 60, teams: 3, membersPerTeam: 3, onProgress: (n) => progress.push(n) });
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

    // Group buying: a product with a group of 3 and a group already open to join on its page.
    const { products } = (await captain.get(`/v1/products?campaignId=${first.campaignId}`)).json();
    const trio = products.find((p: { groupSize: number }) => p.groupSize === 3);
    expect(trio).toMatchObject({ stock: expect.any(Number) });
    const fan = await login(ctx, 'seed-visitor');
    const detail3 = (await fan.get(`/v1/products/${trio.id}`)).json();
    expect(detail3.openGroups).toEqual([expect.objectContaining({ seatsLeft: 2, opener: expect.objectContaining({ nickname: '小明' }) })]);
    // A flash group short enough to watch fail: its reminder and failure arrive while the visitor looks.
    expect(products.find((p: { groupWindowSeconds: number }) => p.groupWindowSeconds <= 600)).toMatchObject({ groupSize: 3 });
    expect(await findGroupBuyDrift(ctx.database.db)).toEqual([]);
    // Red packets: a first tier at 100 energy, a coupon rung the cup's group price reaches, a budget and a pool with a minimum team energy.
    const redPackets = (await captain.get(`/v1/campaigns/${first.campaignId}/redpackets`)).json();
    expect(redPackets.tiers.map((t: { energy: number; amount: number; reward?: string }) => [t.energy, t.amount, t.reward ?? 'cash'])).toEqual([
      [100, 188, 'cash'],
      [300, 1000, 'coupon'],
      [500, 588, 'cash'],
      [2000, 1888, 'cash'],
    ]);
    expect(trio.groupPrice).toBeGreaterThanOrEqual(redPackets.tiers[1].coupon.minSpend);
    expect(redPackets).toMatchObject({ budget: 200_000, budgetLeft: 200_000, claimOpen: true, pool: { amount: 100_000, minTeamEnergy: 300, settled: false } });

    const again = await seedDemo(ctx.app.deps, { slug: 'demo-test', likes: 60 });
    expect(again).toEqual({ campaignId: first.campaignId, created: false, likes: 0 });
  });
});
