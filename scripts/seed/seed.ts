/**
 * Fills a demo campaign through the real services (every like obeys the rules and writes the
 * ledger). Usage: pnpm seed [--likes 100000] [--teams 3] [--members 3] [--slug demo-big]
 * Uses DATABASE_URL when set, otherwise the PGlite folder the server uses (JIZAN_DATA_DIR).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '@jizan/server/config';
import { exclusively, migrateDatabase, openDatabase, STARTUP_LOCKS } from '@jizan/server/db';
import { systemClock } from '@jizan/server/clock';
import { deriveShareSecret } from '@jizan/server/secrets';
import { boardStoreFor } from '@jizan/server/leaderboard';
import { groupBuyDeps, seedDemo } from '@jizan/server/seed';

const { values } = parseArgs({
  options: {
    likes: { type: 'string', default: '40' },
    teams: { type: 'string', default: '3' },
    members: { type: 'string', default: '3' },
    slug: { type: 'string', default: 'demo' },
    concurrency: { type: 'string', default: '' },
  },
});

function positive(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a whole number, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

const config = loadConfig();
const database = await openDatabase(config);
await migrateDatabase(database);
const likes = positive('likes', values.likes!);
const started = Date.now();
let lastPrint = 0;
const shareSecret = await deriveShareSecret(config.jwtSecret);
// The server's own board store, so that with REDIS_URL the seeded likes reach the boards in Redis as a server's would.
const boards = boardStoreFor(database.db, config.boards, { warn: (o, m) => console.warn(m, o), info: (o, m) => console.log(m, o) });
await boards.open();
// Under the seed's lock, so a server seeding the same slug at the same moment is waited for.
const result = await exclusively(database, STARTUP_LOCKS.seed, () => seedDemo(
  {
    db: database.db,
    clock: systemClock,
    shareSecret,
    boards,
    groupBuy: groupBuyDeps({ config, db: database.db, clock: systemClock, boards }),
  },
  {
    slug: values.slug!,
    likes,
    teams: positive('teams', values.teams!),
    membersPerTeam: positive('members', values.members!),
    concurrency: values.concurrency ? positive('concurrency', values.concurrency) : database.kind === 'postgres' ? 16 : 1,
    onProgress: (done, total) => {
      const now = Date.now();
      if (done === total || now - lastPrint > 1000) {
        lastPrint = now;
        const rate = done / Math.max(0.001, (now - started) / 1000);
        process.stdout.write(`\rlikes ${done}/${total} (${Math.round((100 * done) / total)}%, ${Math.round(rate)}/s)   `);
      }
    },
  },
));
process.stdout.write('\n');
console.log(
  result.created
    ? `Seeded campaign "${values.slug}" (${result.campaignId}) with ${result.likes} likes in ${((Date.now() - started) / 1000).toFixed(1)} s on ${database.kind}`
    : `Campaign "${values.slug}" already exists (${result.campaignId}); pass another --slug to seed a new one`,
);
await boards.close();
await database.close();
