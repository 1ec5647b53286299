import { describe, expect, it } from 'vitest';
import { Batcher } from '../../src/lib/batcher.js';

/** A `run` that records each batch it is given and answers when `release` is called. */
function recorder<T>() {
  const batches: T[][] = [];
  const pending: (() => void)[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const run = async (items: T[]) => {
    batches.push(items);
    running++;
    mostAtOnce = Math.max(mostAtOnce, running);
    await new Promise<void>((r) => pending.push(r));
    running--;
    return items.map((i) => `done ${String(i)}`);
  };
  /** Answers every batch sent so far and lets the batcher send the next ones. */
  const releaseAll = async () => {
    while (pending.length) pending.shift()!();
    for (let turn = 0; turn < 3; turn++) await new Promise((r) => setImmediate(r));
  };
  return { run, batches, releaseAll, mostAtOnce: () => mostAtOnce };
}

describe('Batcher', () => {
  it('sends a lone call at once, on its own', async () => {
    const r = recorder<number>();
    const b = new Batcher(r.run, { maxBatch: 10, maxInFlight: 2 });
    const answer = b.submit(1);
    await new Promise((res) => setImmediate(res));
    expect(r.batches).toEqual([[1]]);
    await r.releaseAll();
    expect(await answer).toBe('done 1');
  });

  it('gathers a stampede into batches of at most maxBatch, never more than maxInFlight at once, each caller getting its own answer', async () => {
    const r = recorder<number>();
    const b = new Batcher(r.run, { maxBatch: 4, maxInFlight: 2 });
    const answers = Array.from({ length: 13 }, (_, i) => b.submit(i));
    const settled = Promise.all(answers);
    for (let i = 0; i < 10; i++) await r.releaseAll();
    expect(await settled).toEqual(Array.from({ length: 13 }, (_, i) => `done ${i}`));
    expect(r.batches.map((x) => x.length)).toEqual([4, 4, 4, 1]);
    expect(r.batches.flat()).toEqual(Array.from({ length: 13 }, (_, i) => i));
    expect(r.mostAtOnce()).toBe(2);
  });

  it('sends the waiting calls as soon as a batch ends, before its callers hear back', async () => {
    const r = recorder<number>();
    const b = new Batcher(r.run, { maxBatch: 10, maxInFlight: 1 });
    const first = b.submit(1);
    await new Promise((res) => setImmediate(res));
    // These wait for the slot the first batch holds.
    const rest = [b.submit(2), b.submit(3)];
    const sentWhenFirstAnswered = first.then(() => r.batches.length);
    await r.releaseAll();
    expect(await sentWhenFirstAnswered).toBe(2);
    expect(r.batches).toEqual([[1], [2, 3]]);
    await r.releaseAll();
    expect(await Promise.all(rest)).toEqual(['done 2', 'done 3']);
  });

  it('runs each item of a failed batch again alone, so only the bad one fails', async () => {
    const seen: number[][] = [];
    const b = new Batcher(
      async (items: number[]) => {
        seen.push(items);
        if (items.includes(3)) throw new Error('bad item 3');
        return items.map((i) => i * 10);
      },
      { maxBatch: 8, maxInFlight: 1 },
    );
    const answers = await Promise.allSettled([1, 2, 3, 4].map((i) => b.submit(i)));
    expect(answers.map((a) => (a.status === 'fulfilled' ? a.value : (a.reason as Error).message))).toEqual([10, 20, 'bad item 3', 40]);
    expect(seen[0]).toEqual([1, 2, 3, 4]);
    expect(seen.slice(1).sort()).toEqual([[1], [2], [3], [4]]);
  });

  it('keeps conflicting items in different batches, the later one in the next', async () => {
    const r = recorder<string>();
    const b = new Batcher(r.run, { maxBatch: 10, maxInFlight: 1, conflicts: (x, y) => x === y });
    const settled = Promise.all(['a', 'b', 'a', 'c', 'a'].map((k) => b.submit(k)));
    for (let i = 0; i < 5; i++) await r.releaseAll();
    await settled;
    expect(r.batches).toEqual([['a', 'b', 'c'], ['a'], ['a']]);
  });
});
