/**
 * Like throughput of the running API over loopback HTTP (autocannon, keep-alive connections) on a
 * real PostgreSQL, against pgbench running a one-statement like on the same server in the same
 * run. Two shapes: likes spread over many sharers (each captains a team) and a stampede on 10 hot
 * sharers. Prints a table, writes bench-results/likes.json, checks balances against the ledger.
 *   pnpm bench:likes [--likes 20000] [--sharers 500] [--connections 64] [--port 3121] [--seconds 10]
 * JIZAN_BENCH_DATABASE_URL: admin connection (default postgres@127.0.0.1:5432); scratch databases
 * are created there (prefix --db-prefix, default jizan_bench) and dropped at the end.
 * --cpu-prof <dir> profiles the API process; --api-root <checkout> runs another checkout's API.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCampaign } from '@jizan/server/campaigns';
import { migrateDatabase, openDatabase, rows } from '@jizan/server/db';
import { sql } from 'drizzle-orm';
import { findHistogramDrift } from '@jizan/server/leaderboard';
import { findDrift } from '@jizan/server/ledger';
import { api, busyBetween, cpuPerRequest, cpuSample, fmt, inBatches, load, loginAs, machineCpu, scratchDatabase, startApi, writeResults, type LoadResult } from './harness.js';

const { values } = parseArgs({
  options: {
    likes: { type: 'string', default: '20000' },
    sharers: { type: 'string', default: '500' },
    connections: { type: 'string', default: '64' },
    port: { type: 'string', default: '3121' },
    seconds: { type: 'string', default: '10' },
    'db-prefix': { type: 'string', default: 'jizan_bench' },
    'cpu-prof': { type: 'string' },
    'api-root': { type: 'string' },
  },
});
const total = Number(values.likes);
const manySharers = Number(values.sharers);
const connections = Number(values.connections);
const prefix = values['db-prefix']!;

function pgbenchPath(): string {
  for (const p of ['/usr/lib/postgresql/15/bin/pgbench', '/usr/lib/postgresql/16/bin/pgbench']) if (existsSync(p)) return p;
  return 'pgbench';
}

/**
 * The reference: a like as one statement (the ledger row inserted once per liker, sharer and
 * day, then the sharer's and the team's balances moved only if it was new), `sharers` hot rows.
 */
async function pgbench(sharers: number): Promise<{ tps: number; latencyMs: number; machineBusy: number }> {
  const db = await scratchDatabase(`${prefix}_pgbench`);
  try {
    const setup = spawnSync('psql', [db.url, '-qv', 'ON_ERROR_STOP=1', '-c', `
      create table ledger (id bigserial primary key, sharer int not null, liker bigint not null, day date not null, amount int not null, created_at timestamptz not null default now(), unique (liker, sharer, day));
      create table participants (id int primary key, energy bigint not null default 0);
      create table teams (id int primary key, energy bigint not null default 0);
      insert into participants select g from generate_series(1, ${sharers}) g;
      insert into teams select g from generate_series(1, ${sharers}) g;`], { encoding: 'utf8' });
    if (setup.status !== 0) throw new Error(`pgbench setup failed: ${setup.stderr}`);
    const dir = mkdtempSync(path.join(tmpdir(), 'jizan-pgbench-'));
    const script = path.join(dir, 'like.sql');
    writeFileSync(script, `\\set s random(1, ${sharers})
\\set l random(1, 1000000000)
with le as (insert into ledger (sharer, liker, day, amount) values (:s, :l, current_date, 10) on conflict do nothing returning sharer, amount),
p as (update participants set energy = participants.energy + le.amount from le where participants.id = le.sharer returning 1)
update teams set energy = teams.energy + le.amount from le where teams.id = le.sharer;
`);
    const machine = machineCpu();
    const out = spawnSync(pgbenchPath(), ['-n', '-M', 'prepared', '-c', String(connections), '-j', '2', '-T', values.seconds!, '-f', script, db.url], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`pgbench failed: ${out.stderr}`);
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(out.stdout)?.[1]);
    const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(out.stdout)?.[1]);
    return { tps, latencyMs, machineBusy: busyBetween(machine, machineCpu()) };
  } finally {
    await db.drop();
  }
}

const db = await scratchDatabase(prefix);
const database = await openDatabase({ databaseUrl: db.url, dataDir: 'memory://' });
let stopApi: (() => Promise<void>) | null = null;
try {
  await migrateDatabase(database);
  const now = new Date();
  const campaign = await createCampaign(
    { db: database.db },
    { slug: 'bench', name: 'bench', startsAt: new Date(now.getTime() - 3600_000), endsAt: new Date(now.getTime() + 3 * 3600_000), rules: { dailyLikeCap: 10_000 } },
  );
  const running = await startApi({
    port: Number(values.port),
    databaseUrl: db.url,
    ...(values['api-root'] ? { root: path.resolve(values['api-root']) } : {}),
    nodeArgs: values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof']] : [],
  });
  stopApi = running.stop;
  const base = running.base;

  /** Sharers who each captain a team and send a like card; likers who each like up to 15 of them. */
  async function shape(label: string, sharerCount: number) {
    const sharers = await inBatches(Array.from({ length: sharerCount }, (_, s) => s), 16, async (s) => {
      const u = await loginAs(base, `${label}-s${s}`);
      await api(base, 'POST', `/v1/campaigns/${campaign.id}/teams`, u.token, { name: `${label}${s}` });
      return (await api<{ token: string }>(base, 'POST', '/v1/shares', u.token, { campaignId: campaign.id, kind: 'like' })).token;
    });
    const perLiker = Math.min(15, sharerCount);
    const likerCount = Math.ceil(total / perLiker);
    const likers = await inBatches(Array.from({ length: likerCount }, (_, l) => l), 16, async (l) => (await loginAs(base, `${label}-l${l}`)).token);
    // Statistics, as a database that has been running has them: this one is seconds old, and
    // autovacuum would get to it only after the run. The like's plans are generic and made at its
    // first call; without statistics PostgreSQL looked the sharers' balance rows up through the
    // board's (campaign, energy) index, every row of the campaign per lookup (the README's
    // "Statistics before a storm").
    await rows(database.db, sql`analyze`);
    // Consecutive requests come from different likers, as in a real storm: no like is refused
    // and no liker's own counter row is what serialises the load.
    const before = cpuSample(running.pid, db.name);
    const [newest] = await rows<{ last: unknown }>(database.db, sql`select coalesce(max(id), 0) as last from likes`);
    const result = await load(base, {
      connections,
      amount: total,
      next: (i) => {
        const l = i % likerCount;
        const j = Math.floor(i / likerCount);
        return { method: 'POST', path: `/v1/shares/${sharers[(l * 7 + j) % sharerCount]}/like`, token: likers[l] };
      },
    });
    const after = cpuSample(running.pid, db.name);
    const likes = result.perSecond * result.seconds;
    // The likes one call of like_shares wrote share its transaction id: likes per transaction is the batches' average size.
    const [sizes] = await rows<{ likes: unknown; batches: unknown }>(
      database.db,
      sql`select count(*) as likes, count(distinct xmin::text) as batches from likes where id > ${Number(newest?.last ?? 0)}`,
    );
    const likesPerBatch = Number(sizes?.likes) / Math.max(1, Number(sizes?.batches));
    return { ...result, ...cpuPerRequest(before, after, likes), likesPerBatch };
  }

  const healthz = await load(base, { connections, amount: total, next: () => ({ method: 'GET', path: '/healthz' }) });
  const many = await shape('many', manySharers);
  const hot = await shape('hot', 10);
  await running.stop();
  stopApi = null;
  const pgMany = await pgbench(manySharers);
  const pgHot = await pgbench(10);
  const [drift, histogramDrift] = await Promise.all([findDrift(database.db), findHistogramDrift(database.db)]);

  const row = (r: LoadResult & ReturnType<typeof cpuPerRequest> & { likesPerBatch: number }, ref: { tps: number; machineBusy: number }) => ({
    apiLikesPerSec: Math.round(r.perSecond),
    pgbenchTps: Math.round(ref.tps),
    ratio: Number((r.perSecond / ref.tps).toFixed(3)),
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    // CPU per like, in ms: the API process, the benchmark database's backends, the load generator.
    apiCpuMs: Number(r.apiCpuMs.toFixed(3)),
    databaseCpuMs: Number(r.databaseCpuMs.toFixed(3)),
    loadCpuMs: Number(r.loadCpuMs.toFixed(3)),
    machineBusy: Number(r.machineBusy.toFixed(2)),
    likesPerBatch: Number(r.likesPerBatch.toFixed(1)),
    pgbenchMachineBusy: Number(ref.machineBusy.toFixed(2)),
  });
  const results = { ...row(many, pgMany), hot: row(hot, pgHot) };
  console.log(`PostgreSQL, ${total} likes per shape, ${connections} connections; pgbench ${values.seconds} s, same connections`);
  console.log(
    `${'shape'.padEnd(26)}${'API/s'.padStart(9)}${'pgbench'.padStart(9)}${'ratio'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'API cpu'.padStart(9)}${'PG cpu'.padStart(9)}${'load cpu'.padStart(9)}${'busy'.padStart(6)}${'batch'.padStart(9)}  refused`,
  );
  console.log(`${'GET /healthz'.padEnd(26)}${fmt(healthz.perSecond)}${''.padStart(9)}${''.padStart(9)}${fmt(healthz.p50Ms, 1)}${fmt(healthz.p99Ms, 1)}  ${healthz.non2xx + healthz.errors}`);
  for (const [label, r, ref] of [[`likes, ${manySharers} sharers`, many, pgMany], ['likes, 10 hot sharers', hot, pgHot]] as const) {
    console.log(
      `${label.padEnd(26)}${fmt(r.perSecond)}${fmt(ref.tps)}${fmt(r.perSecond / ref.tps, 3)}${fmt(r.p50Ms, 1)}${fmt(r.p99Ms, 1)}${fmt(r.apiCpuMs, 2)}${fmt(r.databaseCpuMs, 2)}${fmt(r.loadCpuMs, 2)}${`${Math.round(r.machineBusy * 100)}%`.padStart(6)}${fmt(r.likesPerBatch, 1)}  ${r.non2xx + r.errors}`,
    );
  }
  // The whole machine's CPU per like against pgbench's per transaction: what the ratio could be if
  // the like kept every core busy at the CPU it costs now (load generator and API included).
  const cores = availableParallelism();
  for (const [label, r, ref] of [[`${manySharers} sharers`, many, pgMany], ['10 hot sharers', hot, pgHot]] as const) {
    const perLike = (r.machineBusy * cores * 1000) / r.perSecond;
    const perTx = (ref.machineBusy * cores * 1000) / ref.tps;
    console.log(
      `${label}: the machine spent ${perLike.toFixed(2)} ms of CPU per like, pgbench ${perTx.toFixed(2)} ms per transaction (cores ${Math.round(ref.machineBusy * 100)}% busy); ` +
        `with every core busy, the like's ratio could reach ${(perTx / perLike).toFixed(2)} at most`,
    );
  }
  console.log('(API cpu, PG cpu, load cpu: milliseconds of CPU per like in the API process, the database backends and this load generator; busy: share of all cores busy; batch: likes per like_shares call)');
  console.log(drift.length === 0 ? 'ledger and balances agree' : `DRIFT: ${drift.length} balances disagree with the ledger`);
  console.log(histogramDrift.length === 0 ? 'histogram and balances agree' : `DRIFT: ${histogramDrift.length} histogram counts disagree with the balances`);
  writeResults('likes.json', results);
  if (drift.length > 0 || histogramDrift.length > 0 || many.non2xx + many.errors + hot.non2xx + hot.errors > 0) process.exitCode = 1;
} finally {
  await stopApi?.();
  await database.close();
  await db.drop();
}
