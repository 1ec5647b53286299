import { describe, expect, it } from 'vitest';
import { findDrift } from '../../../src/modules/ledger/ledger.service.js';
import { verifyRedPackets } from '../../../src/modules/redpackets/redpackets.service.js';
import { campaign, errorCode, REAL_PG_URL, testApp } from '../../helper.js';
import { budgetOf, paidOut, ring } from './fixtures.js';

/**
 * Claim stampedes. Under PGlite (one connection) they run serialised and check the rules; under
 * `pnpm test:pg` they are truly concurrent transactions on PostgreSQL.
 */
const ctx = testApp();
// PGlite runs them one at a time anyway, so it checks the rule with fewer users and a quicker suite.
const CLAIMERS = REAL_PG_URL ? 500 : 100;

function tally(results: { statusCode: number; json(): unknown }[]) {
  const by: Record<string, number> = {};
  for (const r of results) {
    const key = r.statusCode === 201 ? 'paid' : errorCode(r);
    by[key] = (by[key] ?? 0) + 1;
  }
  return by;
}

describe(`claim stampedes on ${REAL_PG_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  it(`${CLAIMERS} eligible users claiming 30 fen at once from a budget of 100 fen: exactly 3 are paid, 90 fen in all`, async () => {
    const c = await campaign(ctx, { rules: { redPacketTiers: [{ energy: 20, amount: 30 }], redPacketBudget: 100 } });
    const users = await ring(ctx, c.id, CLAIMERS);
    const results = await Promise.all(users.map((u) => u.post('/v1/redpackets/claim', { campaignId: c.id, tier: 1 })));
    expect(tally(results)).toEqual({ paid: 3, BUDGET_EXHAUSTED: CLAIMERS - 3 });
    const paid = await paidOut(ctx, c.id);
    expect(paid.map((p) => p.amount)).toEqual([30, 30, 30]);
    expect(new Set(paid.map((p) => p.user_id)).size).toBe(3);
    expect(await budgetOf(ctx, c.id)).toEqual({ budget: 100, remaining: 10 });
    expect(await verifyRedPackets(ctx.database.db)).toEqual([]);
    expect(await findDrift(ctx.database.db)).toEqual([]);
  });

  it('one user firing the same claim 50 times at once is paid once', async () => {
    const c = await campaign(ctx, { rules: { redPacketTiers: [{ energy: 20, amount: 30 }], redPacketBudget: 10_000 } });
    const [me] = await ring(ctx, c.id, 2);
    const results = await Promise.all(Array.from({ length: 50 }, () => me!.post('/v1/redpackets/claim', { campaignId: c.id, tier: 1 })));
    expect(tally(results)).toEqual({ paid: 1, ALREADY_CLAIMED: 49 });
    expect(await budgetOf(ctx, c.id)).toEqual({ budget: 10_000, remaining: 9_970 });
  });

  it('a retried claim with one Idempotency-Key, 20 copies at once, pays once and answers all alike', async () => {
    const c = await campaign(ctx, { rules: { redPacketTiers: [{ energy: 20, amount: 30 }], redPacketBudget: 10_000 } });
    const [me] = await ring(ctx, c.id, 2);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => me!.post('/v1/redpackets/claim', { campaignId: c.id, tier: 1 }, { 'idempotency-key': 'tap-1' })),
    );
    expect(tally(results)).toEqual({ paid: 20 });
    expect(new Set(results.map((r) => r.body)).size).toBe(1);
    expect(await paidOut(ctx, c.id)).toHaveLength(1);
    expect(await verifyRedPackets(ctx.database.db)).toEqual([]);
  });
});
