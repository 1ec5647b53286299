import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { shareOpens, shares } from '../../../src/db/schema/index.js';
import { ShareOpenBuffer } from '../../../src/modules/shares/share-opens.js';
import { campaign, login, share, testApp } from '../../helper.js';

const ctx = testApp();

async function cardId(token: string): Promise<string> {
  const [row] = await ctx.database.db.select({ id: shares.id }).from(shares).where(eq(shares.token, token));
  return row!.id;
}

const opensOf = async (shareId: string) => ctx.database.db.select().from(shareOpens).where(eq(shareOpens.shareId, shareId));

describe('landing opens, written in batches', () => {
  it('writes a full batch at once and the rest on flush, each open with its viewer and time', async () => {
    const c = await campaign(ctx);
    const sharer = await login(ctx);
    const id = await cardId(await share(sharer, c.id));
    const buffer = new ShareOpenBuffer(ctx.database.db, { batch: 5, flushMs: 60_000 });
    for (let i = 0; i < 12; i++) buffer.record(id, i % 2 ? sharer.id : null, new Date(ctx.clock.now().getTime() + i));
    // Two full batches left on their own; the last two wait for the timer or a flush.
    await new Promise((r) => setTimeout(r, 50));
    await buffer.flush();
    const opens = await opensOf(id);
    expect(opens).toHaveLength(12);
    expect(opens.filter((o) => o.viewerId === sharer.id)).toHaveLength(6);
    expect(new Set(opens.map((o) => o.openedAt.getTime())).size).toBe(12);
  });

  it('gives up the oldest opens beyond its bound, and reports a batch the database refused', async () => {
    const c = await campaign(ctx);
    const id = await cardId(await share(await login(ctx), c.id));
    const failures: number[] = [];
    const buffer = new ShareOpenBuffer(ctx.database.db, { batch: 1000, flushMs: 60_000, maxWaiting: 3, onError: (_, lost) => failures.push(lost) });
    for (let i = 0; i < 5; i++) buffer.record(id, null, ctx.clock.now());
    expect(buffer.dropped).toBe(2);
    await buffer.flush();
    expect(await opensOf(id)).toHaveLength(3);

    // A card that does not exist: the foreign key refuses the batch, the buffer carries on.
    buffer.record('00000000-0000-4000-8000-000000000000', null, ctx.clock.now());
    await buffer.flush();
    expect(failures).toEqual([1]);
    buffer.record(id, null, ctx.clock.now());
    await buffer.flush();
    expect(await opensOf(id)).toHaveLength(4);
  });
});
