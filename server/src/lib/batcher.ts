/**
 * Gathers calls that arrive together into one batch for `run`: a call waits only for the current
 * turn of the event loop, or, when `maxInFlight` batches are already running, until one of them
 * ends — so a lone call goes out at once and a stampede goes out in batches of up to `maxBatch`,
 * their size set by how busy the database is rather than by a timer.
 *
 * `run` answers one result per item, in order. When a batch of several fails as a whole, each of
 * its items is run again alone, so one bad item (or a deadlock, or a dropped connection) answers
 * only its own caller with the error. `conflicts` keeps two items that must not share a batch
 * apart: the later one waits for the next batch.
 */
export class Batcher<T, R> {
  private queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly opts: { maxBatch: number; maxInFlight: number; conflicts?: (a: T, b: T) => boolean },
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.opts.maxInFlight && this.queue.length > 0) {
      const batch = this.take();
      this.inFlight++;
      this.attempt(batch.map((b) => b.item)).then(
        (results) => {
          // The slot is handed on before the callers hear back: answering them (their replies
          // written, the next requests read) would otherwise leave the database idle meanwhile.
          this.release();
          batch.forEach((b, i) => b.resolve(results[i]!));
        },
        (err: unknown) => void this.alone(batch, err).finally(() => this.release()),
      );
    }
  }

  private release(): void {
    this.inFlight--;
    // Those waiting already had their turn of the event loop to gather: they go at once.
    this.flush();
  }

  private take(): typeof this.queue {
    const { maxBatch, conflicts } = this.opts;
    if (!conflicts) return this.queue.splice(0, maxBatch);
    const batch: typeof this.queue = [];
    const rest: typeof this.queue = [];
    for (const entry of this.queue) {
      if (batch.length < maxBatch && !batch.some((b) => conflicts(b.item, entry.item))) batch.push(entry);
      else rest.push(entry);
    }
    this.queue = rest;
    return batch;
  }

  /** `run`, with a synchronous throw answered as a failed batch like any other. */
  private attempt(items: T[]): Promise<R[]> {
    try {
      return this.run(items);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** A batch that failed as a whole: each item again on its own, so only the bad one fails. */
  private async alone(batch: typeof this.queue, err: unknown): Promise<void> {
    if (batch.length === 1) {
      batch[0]!.reject(err);
      return;
    }
    await Promise.all(
      batch.map((b) =>
        this.attempt([b.item]).then(
          (results) => b.resolve(results[0]!),
          (e: unknown) => b.reject(e),
        ),
      ),
    );
  }
}
