/**
 * The admin API at scale: seeds 1,000,000 likes, 100,000 users and 10,000 teams in bulk on a
 * scratch PostgreSQL database, checks every balance against its ledger, runs the insights rollup
 * job once (its catch-up time is printed too), then times each admin query through the app.
 *   pnpm bench:admin [--likes 1000000] [--users 100000] [--teams 10000] [--runs 3] [--keep]
 *   pnpm bench:admin --reuse <database kept by --keep> [--runs 3]   (times the queries again, seeds nothing)
 * JIZAN_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server, as for the other benches.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildApp } from '@jizan/server/app';
import { loadConfig } from '@jizan/server/config';
import { migrateDatabase, openDatabase } from '@jizan/server/db';
import { findDrift, foldLedgerSums } from '@jizan/server/ledger';
import { createCampaign } from '@jizan/server/campaigns';
import { refreshRollups } from '@jizan/server/insights';
import { scanFraud } from '@jizan/server/fraud';
import { systemClock } from '@jizan/server/clock';
import { ADMIN_URL } from './harness.js';
import { seedAdminWorld } from './admin-seed.js';

const { values } = parseArgs({
  options: {
    likes: { type: 'string', default: '1000000' },
    users: { type: 'string', default: '100000' },
    teams: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'string' },
  },
});
const size = { likes: Number(values.likes), users: Number(values.users), teams: Number(values.teams) };
const runs = Number(values.runs);
const adminUrl = ADMIN_URL;
const name = values.reuse ?? `admininsights_bench_${Date.now().toString(36)}`;
if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`not a bench database name: ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;

async function onAdmin(statement: string) {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(statement);
  await c.end();
}

const seconds = (since: bigint) => (Number(process.hrtime.bigint() - since) / 1e9).toFixed(1);
const ms = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;

/** The bench campaign of a kept database. */
async function benchCampaign(client: pg.Client): Promise<{ id: string; startsAt: Date }> {
  const { rows } = await client.query(`select id, starts_at from campaigns where slug = 'bench-admin'`);
  const row = rows[0] as { id: string; starts_at: Date } | undefined;
  if (!row) throw new Error(`${name} has no bench campaign`);
  return { id: row.id, startsAt: new Date(row.starts_at) };
}

/** A fresh world: the campaign, the bulk seed, the ledger check, the rollup and the fraud scan, each timed. */
async function seedWorld(client: pg.Client): Promise<{ id: string; startsAt: Date }> {
  const startsAt = new Date(Date.now() - 40 * 24 * 3600_000);
  const campaign = await createCampaign(
    { db: database.db },
    { slug: 'bench-admin', name: 'Admin bench', startsAt, endsAt: new Date(startsAt.getTime() + 30 * 24 * 3600_000), rules: { redPacketBudget: 100_000_000 } },
  );
  let t = process.hrtime.bigint();
  console.log(`seeding ${size.likes} likes, ${size.users} users, ${size.teams} teams into ${name}…`);
  await seedAdminWorld(client, size, campaign.id, startsAt);
  console.log(`  seeded in ${seconds(t)} s`);
  t = process.hrtime.bigint();
  const drift = await findDrift(database.db);
  console.log(`  ledger check: ${drift.length === 0 ? 'every balance equals its ledger sum' : `${drift.length} balances DRIFT`} (${seconds(t)} s)`);
  if (drift.length > 0) process.exitCode = 1;

  t = process.hrtime.bigint();
  await refreshRollups({ db: database.db, clock: systemClock }, campaign.id);
  console.log(`  insights rollup, first run over everything: ${seconds(t)} s`);
  t = process.hrtime.bigint();
  await refreshRollups({ db: database.db, clock: systemClock }, campaign.id);
  console.log(`  insights rollup, next run (the job's steady state): ${seconds(t)} s`);
  t = process.hrtime.bigint();
  const scan = await scanFraud({ db: database.db, clock: systemClock }, { campaignId: campaign.id });
  console.log(`  fraud scan (the job's run over this campaign and every login): ${seconds(t)} s, ${scan.flagged} flags`);
  return { id: campaign.id, startsAt };
}

if (!values.reuse) await onAdmin(`create database ${name}`);
const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '', poolSize: 4 });
try {
  await migrateDatabase(database);
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const campaign = values.reuse ? await benchCampaign(client) : await seedWorld(client);
  const startsAt = campaign.startsAt;
  // The ledger-sums job catching up (in production it runs every few seconds, so it is never far behind).
  let t = process.hrtime.bigint();
  for (;;) {
    await foldLedgerSums({ db: database.db });
    const { rows: h } = await client.query(`select (select folded_upto from ledger_sums_horizon) >= (select max(id) from energy_ledger) as done`);
    if ((h[0] as { done: boolean }).done) break;
  }
  console.log(`  ledger sums (the ledger-sums job catching up): ${seconds(t)} s`);
  if (!values.reuse) await client.query('vacuum analyze');
  const [root] = (await client.query(`select inviter_id from invitations group by 1 order by count(*) desc limit 1`)).rows as { inviter_id: string }[];
  // The user with the most likes received: the biggest user view.
  const [busy] = (await client.query(`select sharer_id, u.openid from likes join users u on u.id = sharer_id group by 1, 2 order by count(*) desc limit 1`)).rows as {
    sharer_id: string;
    openid: string;
  }[];
  await client.end();

  const adminKey = 'bench-admin-key-0123456789abcdef';
  const config = loadConfig({ ...process.env, NODE_ENV: 'test', DATABASE_URL: url.toString(), JIZAN_H5_DIR: 'none', JWT_SECRET: 'bench-secret-0123456789-0123456789-abcdef', JIZAN_ADMIN_KEY: adminKey });
  const app = await buildApp({ config, database, logger: false });
  await app.ready();
  const c = `/admin/v1/campaigns/${campaign.id}`;
  const day = new Date(startsAt.getTime() + 10 * 24 * 3600_000);
  const queries: [string, string, Record<string, string>?][] = [
    ['overview', `${c}/overview`],
    ['funnel, whole campaign', `${c}/funnel`],
    ['funnel, one day', `${c}/funnel?from=${day.toISOString()}&to=${new Date(day.getTime() + 24 * 3600_000).toISOString()}`],
    ['invite tree of the top inviter (depth 3)', `/admin/v1/users/${root?.inviter_id}/invites?campaignId=${campaign.id}`],
    ['invite tree of the top inviter (depth 10, node cap)', `/admin/v1/users/${root?.inviter_id}/invites?campaignId=${campaign.id}&depth=10`],
    ['top inviters, first page', `${c}/top-inviters?limit=50`],
    ['K-factor per day', `${c}/k-factor?limit=100`],
    ['retention cohorts', `${c}/retention?limit=100`],
    ['likes and new participants per hour (100 h)', `${c}/hourly?limit=100`],
    ['campaigns, first page', '/admin/v1/campaigns'],
    ['user view by id (most likes received)', `/admin/v1/users/${busy?.sharer_id}`],
    ['user view by openid', `/admin/v1/users?openid=${busy?.openid}`],
    ["user's ledger, first page", `/admin/v1/users/${busy?.sharer_id}/ledger?limit=100`],
    ["user's likes received, first page", `/admin/v1/users/${busy?.sharer_id}/likes?side=received&limit=100`],
    ['invite tree, campaign not named', `/admin/v1/users/${root?.inviter_id}/invites`],
    ['fraud queue, first page', '/admin/v1/fraud/flags?status=open&limit=50'],
    ['ledger audit (every balance, money and red packet)', `${c}/ledger-audit`],
    ['top inviters as CSV (all rows)', `${c}/top-inviters`, { accept: 'text/csv' }],
    ['fraud queue as CSV (all rows)', '/admin/v1/fraud/flags?status=open', { accept: 'text/csv' }],
  ];
  console.log(`\nquery times over ${runs} runs (ms, through the app with an operator key):`);
  let slow = 0;
  for (const [label, path, headers] of queries) {
    const times: number[] = [];
    let status = 0;
    let bytes = 0;
    for (let i = 0; i < runs; i++) {
      const s = process.hrtime.bigint();
      const res = await app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${adminKey}`, ...headers } });
      times.push(ms(s));
      status = res.statusCode;
      bytes = res.rawPayload.length;
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    if (median >= 1000 && !headers) slow++;
    console.log(`  ${label.padEnd(52)} median ${median.toFixed(0).padStart(5)}  max ${times[times.length - 1]!.toFixed(0).padStart(5)}  (${status}, ${bytes} bytes)`);
  }
  console.log(slow === 0 ? '\nevery query answered in under one second' : `\n${slow} queries took a second or more`);
  if (slow > 0) process.exitCode = 1;
  await app.close();
} finally {
  await database.close().catch(() => {});
  if (!values.keep && !values.reuse) await onAdmin(`drop database if exists ${name} with (force)`);
  else if (!values.reuse) console.log(`kept ${name}`);
}
