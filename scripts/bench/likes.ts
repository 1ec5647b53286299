/**
 * Like throughput through the whole app (routing, auth, validation, the like transaction), as a
 * ratio against a baseline measured in the same run: a route that only answers /healthz.
 * Two shapes: likes spread over many sharers, and a stampede on 10 hot sharers.
 *   pnpm bench:likes [--likes 4000] [--concurrency 32]     (DATABASE_URL for PostgreSQL, else PGlite in memory)
 */
import { parseArgs } from 'node:util';
import { buildApp } from '@jizan/server/app';
import { loadConfig } from '@jizan/server/config';
import { migrateDatabase, openDatabase } from '@jizan/server/db';
import { findDrift } from '@jizan/server/ledger';
import { createCampaign } from '@jizan/server/campaigns';
import { forEachConcurrently } from '@jizan/server/pool';

const { values } = parseArgs({ options: { likes: { type: 'string', default: '4000' }, concurrency: { type: 'string', default: '32' } } });
const total = Number(values.likes);
const concurrency = Number(values.concurrency);

const config = loadConfig({ ...process.env, NODE_ENV: 'test', JIZAN_H5_DIR: 'none', JWT_SECRET: 'bench-secret-0123456789-0123456789-abcdef', JIZAN_RATE_LOGIN_PER_MINUTE: '1000000000', JIZAN_RATE_WRITES_PER_MINUTE: '1000000000' });
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: 'memory://', poolSize: concurrency });
await migrateDatabase(database);
const app = await buildApp({ config, database, logger: false });
await app.ready();

async function login(name: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { code: `dev:${name}` } });
  return (res.json() as { token: string }).token;
}

async function run(n: number, request: (i: number) => Promise<number>): Promise<{ perSecond: number; failures: number }> {
  let failures = 0;
  const started = process.hrtime.bigint();
  await forEachConcurrently(n, concurrency, async (i) => {
    if ((await request(i)) >= 400) failures++;
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { perSecond: n / seconds, failures };
}

const tag = Date.now().toString(36);
const now = new Date();
const campaign = await createCampaign({ db: database.db }, { slug: `bench-${tag}`, name: 'bench', startsAt: new Date(now.getTime() - 3600_000), endsAt: new Date(now.getTime() + 3600_000), rules: { dailyLikeCap: 10_000 } });

async function scenario(label: string, sharerCount: number) {
  const cards: string[] = [];
  for (let s = 0; s < sharerCount; s++) {
    const token = await login(`bench-${tag}-${label}-s${s}`);
    const res = await app.inject({ method: 'POST', url: '/v1/shares', headers: { authorization: `Bearer ${token}` }, payload: { campaignId: campaign.id, kind: 'like' } });
    cards.push((res.json() as { token: string }).token);
  }
  // Each liker likes up to 10 different sharers once; requests in flight come from different
  // likers, as in a real stampede, so no like is refused and no liker's own row is the bottleneck.
  const perLiker = Math.min(10, sharerCount);
  const likerCount = Math.ceil(total / perLiker);
  const likers: string[] = [];
  for (let l = 0; l < likerCount; l++) likers.push(await login(`bench-${tag}-${label}-l${l}`));
  return run(total, async (i) => {
    const l = i % likerCount;
    const j = Math.floor(i / likerCount);
    const res = await app.inject({
      method: 'POST',
      url: `/v1/shares/${cards[(l * 7 + j) % sharerCount]}/like`,
      headers: { authorization: `Bearer ${likers[l]}` },
    });
    return res.statusCode;
  });
}

const baseline = await run(total, async () => (await app.inject({ method: 'GET', url: '/healthz' })).statusCode);
const spread = await scenario('spread', 500);
const hot = await scenario('hot', 10);
const drift = await findDrift(database.db);

console.log(`database: ${database.kind}, ${total} requests per scenario, ${concurrency} in flight`);
console.log(`baseline /healthz            ${baseline.perSecond.toFixed(0).padStart(7)} req/s   ratio 1.00`);
for (const [label, r] of [['likes over 500 sharers', spread], ['likes on 10 hot sharers', hot]] as const) {
  console.log(`${label.padEnd(28)} ${r.perSecond.toFixed(0).padStart(7)} req/s   ratio ${(r.perSecond / baseline.perSecond).toFixed(3)}   refused ${r.failures}`);
}
console.log(drift.length === 0 ? 'ledger and balances agree' : `DRIFT: ${drift.length} balances disagree with the ledger`);
await app.close();
await database.close();
if (drift.length > 0 || spread.failures + hot.failures > 0) process.exit(1);
