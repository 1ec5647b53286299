import type { ShareChannel } from '@jizan/shared';
import type { Db } from '../../db/client.js';
import * as repo from './shares.repository.js';

/** Where a landing records that its card was opened; the write happens later, in a batch. */
export interface ShareOpenRecorder {
  /** `channel`: how the card reached the viewer (the chat card itself unless said). */
  record(shareId: string, viewerId: string | null, at: Date, channel?: ShareChannel): void;
}

/**
 * Opens kept in memory and written many rows to one insert: at most `flushMs` after the first one
 * waiting, or at once when `batch` are waiting, and on shutdown (`flush`). A view never waits for
 * its open's write. What a crash loses is the last second of opens (the top of the funnel, not
 * money); a database that stays down drops the oldest beyond `maxWaiting` instead of growing.
 */
export class ShareOpenBuffer implements ShareOpenRecorder {
  private waiting: repo.ShareOpen[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writes: Promise<void> = Promise.resolve();
  /** Opens dropped because the buffer was full, for the log. */
  dropped = 0;

  constructor(
    private readonly db: Db,
    private readonly opts: { flushMs?: number; batch?: number; maxWaiting?: number; onError?: (err: unknown, lost: number) => void } = {},
  ) {}

  record(shareId: string, viewerId: string | null, at: Date, channel: ShareChannel = 'card'): void {
    if (this.waiting.length >= (this.opts.maxWaiting ?? 50_000)) {
      this.waiting.shift();
      this.dropped++;
    }
    this.waiting.push({ shareId, viewerId, at, channel });
    if (this.waiting.length >= (this.opts.batch ?? 500)) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.opts.flushMs ?? 1000).unref();
  }

  /** Writes every open waiting now; resolves once they (and any write before them) are done. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.waiting;
    this.waiting = [];
    this.writes = this.writes.then(async () => {
      try {
        await repo.recordOpens(this.db, batch);
      } catch (err) {
        this.opts.onError?.(err, batch.length);
      }
    });
    return this.writes;
  }
}
