import type { Db } from './db/client.js';
import type { Clock } from './lib/clock.js';
import type { ContentCheckSettings } from './lib/content-check.js';
import type { CodeExchanger } from './modules/auth/code-exchange.js';
import type { TokenSettings } from './modules/auth/tokens.js';
import type { BoardStore } from './modules/leaderboard/leaderboard.service.js';
import type { ShareOpenBuffer } from './modules/shares/share-opens.js';
import type { AvatarSettings } from './modules/users/users.service.js';

/**
 * Everything a service may be handed, as arguments so tests can call services directly. Each
 * service declares the few of these it uses (AuthDeps, ShareDeps, TeamDeps, `{ db, clock }`…);
 * route settings such as rate limits live on the app, not here. Its own file so that what
 * `buildApp()` runs (the seed) can name it without importing the app.
 */
export interface ServiceDeps {
  db: Db;
  clock: Clock;
  exchanger: CodeExchanger;
  tokens: TokenSettings;
  shareSecret: Uint8Array;
  avatars: AvatarSettings;
  /** The chat platform's check of the names and pictures strangers see (no platform: nothing checked outside production). */
  content: ContentCheckSettings;
  /** Landing opens, written in batches (flushed before the app closes). */
  shareOpens: ShareOpenBuffer;
  /** Where the leaderboards are ranked (Redis sorted sets with REDIS_URL, else PostgreSQL), told of every balance move. */
  boards: BoardStore;
}
