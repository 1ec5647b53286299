/**
 * Runs `work(0)` … `work(total - 1)` with at most `concurrency` calls in flight: each worker takes
 * the next index as soon as its last call settles, so one slow call never holds up the rest.
 * (A few lines of our own rather than a dependency: the seed and the bench are its only users.)
 */
export async function forEachConcurrently(total: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) await work(next++);
    }),
  );
}
