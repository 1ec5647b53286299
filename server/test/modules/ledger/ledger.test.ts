import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { campaign, errorCode, login, share, testApp } from '../../helper.js';

const ctx = testApp();

describe('my ledger', () => {
  it('pages newest first with a cursor, and the balance equals the sum of all entries', async () => {
    const c = await campaign(ctx);
    const sharer = await login(ctx);
    const card = await share(sharer, c.id);
    for (let i = 0; i < 7; i++) await (await login(ctx)).post(`/v1/shares/${card}/like`);
    const seen: string[] = [];
    let cursor: string | null = null;
    let balance = 0;
    let pages = 0;
    do {
      const res = await sharer.get(`/v1/me/ledger?campaignId=${c.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      balance = body.balance;
      seen.push(...body.entries.map((e: { id: string }) => e.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect([...seen].sort((a, b) => Number(b) - Number(a))).toEqual(seen);
    expect(balance).toBe(7 * 20);
  });

  it('answers 400 for a forged cursor or a missing campaign id, 404 for an unknown campaign', async () => {
    const c = await campaign(ctx);
    const me = await login(ctx);
    const forged = await me.get(`/v1/me/ledger?campaignId=${c.id}&cursor=bm9wZQ`);
    expect(forged.statusCode).toBe(400);
    expect(errorCode(forged)).toBe('INVALID_CURSOR');
    const missing = await me.get('/v1/me/ledger');
    expect(missing.statusCode).toBe(400);
    expect(errorCode(missing)).toBe('VALIDATION_FAILED');
    const unknown = await me.get('/v1/me/ledger?campaignId=00000000-0000-4000-8000-000000000000');
    expect(errorCode(unknown)).toBe('CAMPAIGN_NOT_FOUND');
    const empty = await me.get(`/v1/me/ledger?campaignId=${c.id}`);
    expect(empty.json()).toEqual({ balance: 0, entries: [], nextCursor: null });
  });
});

describe('the energy ledger', () => {
  it('refuses UPDATE and DELETE at the database, so history cannot be rewritten', async () => {
    const c = await campaign(ctx);
    await (await login(ctx)).post(`/v1/shares/${await share(await login(ctx), c.id)}/like`);
    const db = ctx.database.db;
    const refusal = (q: Promise<unknown>) =>
      q.then(
        () => 'accepted',
        (e: Error & { cause?: Error }) => e.cause?.message ?? e.message,
      );
    expect(await refusal(db.execute(sql`update energy_ledger set amount = amount * 100`))).toMatch(/append-only: UPDATE/);
    expect(await refusal(db.execute(sql`delete from energy_ledger`))).toMatch(/append-only: DELETE/);
    expect(await refusal(db.execute(sql`truncate energy_ledger cascade`))).toMatch(/append-only: TRUNCATE/);
  });
});
