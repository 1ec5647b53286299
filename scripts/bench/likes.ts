/**
 * Like throughput of the running API over loopback HTTP (wrk or autocannon, keep-alive connections) on a
 * real PostgreSQL, against pgbench running a one-statement like on the same server in the same
 * run. Two shapes: likes spread over many sharers (each captains a team) and a stampede on 10 hot
 * sharers. Prints a table, writes bench-results/likes.json, checks balances against the ledger.
 *   pnpm bench:likes [--likes 20000] [--sharers 500] [--connections 64] [--port 3121] [--seconds 10]
 * JIZAN_BENCH_DATABASE_URL: admin connection (default postgres@127.0.0.1:5432); scratch databases
 * are created there (prefix --db-prefix, default jizan_bench) and dropped at the end.
 * --cpu-prof <dir> profiles the API process; --api-root <checkout> runs another checkout's API.
 * --rate half|N[,…]: after each shape's closed loop, likes offered at a fixed rate (`half`: half of
 *   the peak that closed loop measured) for --open-seconds (default --seconds), with p50, p99 and
 *   p99.9 from each like's scheduled send (coordinated omission corrected, ./open-loop.ts) and
 *   PASS/MISS against p99 < 50 ms. --timeline <dir> writes each open-loop run's requests there as
 *   CSV (due time, wall clock, latency, service time, lateness) to find when a tail happened.
 * --instances N (N ≥ 2): N API processes on one database behind a load balancer (--balancer
 *   haproxy, the default, or nginx; started here with a temp config), measured in the same run as
 *   one instance directly and one instance behind the same balancer. The APIs share Redis
 *   (--redis, default JIZAN_BENCH_REDIS_URL or redis://127.0.0.1:6379) for the rate counters and
 *   boards, as instances of one deployment do; the run's board keys are dropped at the end.
 * --pin LOAD:SERVER (say 0:1, or 1:0 for the opposite): taskset this load generator and pgbench's
 *   client onto LOAD and the API (and balancer) and PostgreSQL's postmaster with all its processes
 *   onto SERVER for the run, then put PostgreSQL back; needs root or CAP_SYS_NICE.
 * --load wrk|autocannon: the closed loop's generator; wrk (Debian's package, ./wrk.ts) by default
 *   when installed, since the machine's CPU per like is compared with pgbench's, whose client is C.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCampaign } from '@jizan/server/campaigns';
import { migrateDatabase, openDatabase, rows } from '@jizan/server/db';
import { sql } from 'drizzle-orm';
import { findHistogramDrift } from '@jizan/server/leaderboard';
import { findDrift } from '@jizan/server/ledger';
import { Redis } from 'ioredis';
import { loadWithWrk, WRK, wrkAvailable } from './wrk.js';
import { coreCpu, coresBusy, parsePin, pin, pinPostgres, startBalancer, type Balancer, type BalancerKind } from './machine.js';
import { OPEN_LOOP_HEADER, OPEN_LOOP_NOTE, openLoop, openLoopLine, openLoopRow, parseRates, rateFor, timelineFor, type OpenLoopResult, type RateSpec } from './open-loop.js';
import { ADMIN_URL, api, busyBetween, cpuPerRequest, cpuSample, fmt, inBatches, load, loginAs, machineCpu, scratchDatabase, startApi, writeResults, type LoadResult } from './harness.js';

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
    rate: { type: 'string' },
    'open-seconds': { type: 'string' },
    instances: { type: 'string', default: '1' },
    balancer: { type: 'string', default: 'haproxy' },
    redis: { type: 'string', default: process.env.JIZAN_BENCH_REDIS_URL || '' },
    pin: { type: 'string' },
    timeline: { type: 'string' },
    load: { type: 'string' },
  },
});
const total = Number(values.likes);
const manySharers = Number(values.sharers);
const connections = Number(values.connections);
const prefix = values['db-prefix']!;
const rates = parseRates(values.rate);
const openSeconds = Number(values['open-seconds'] ?? values.seconds);
const instances = Number(values.instances);
if (!Number.isInteger(instances) || instances < 1) throw new Error(`--instances takes a whole number ≥ 1, got "${values.instances}"`);
if (values.balancer !== 'haproxy' && values.balancer !== 'nginx') throw new Error(`--balancer takes haproxy or nginx, got "${values.balancer}"`);
const balancerKind = values.balancer as BalancerKind;
// Instances of one deployment share their rate counters and boards through Redis.
const redisUrl = values.redis || (instances > 1 ? 'redis://127.0.0.1:6379' : '');
const pinning = parsePin(values.pin);
// The closed loop's generator: wrk when Debian's package is there (a C client, as pgbench's is), else autocannon.
const generator = values.load ?? (wrkAvailable() ? 'wrk' : 'autocannon');
if (generator !== 'wrk' && generator !== 'autocannon') throw new Error(`--load takes wrk or autocannon, got "${values.load}"`);
if (generator === 'wrk' && !wrkAvailable()) throw new Error(`--load wrk needs ${WRK} (apt-get install wrk)`);
const closedLoop = (base: string, opts: { connections: number; amount: number; next: (i: number) => { method: 'GET' | 'POST'; path: string; token?: string } }) =>
  // Pinned, wrk inherits this process's CPU.
  generator === 'wrk' ? loadWithWrk(base, opts) : load(base, opts);

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
    // Pinned, pgbench's client runs where the load generator does (its backends follow the postmaster).
    const [command, ...pre] = pinning ? ['taskset', '-c', pinning.load, pgbenchPath()] : [pgbenchPath()];
    const out = spawnSync(command!, [...pre, '-n', '-M', 'prepared', '-c', String(connections), '-j', '2', '-T', values.seconds!, '-f', script, db.url], { encoding: 'utf8' });
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
const stops: (() => Promise<void> | void)[] = [];
const boardPrefix = `bench:${db.name}:`;
try {
  await migrateDatabase(database);
  const now = new Date();
  const campaign = await createCampaign(
    { db: database.db },
    { slug: 'bench', name: 'bench', startsAt: new Date(now.getTime() - 3600_000), endsAt: new Date(now.getTime() + 3 * 3600_000), rules: { dailyLikeCap: 10_000 } },
  );
  if (pinning) {
    pin(process.pid, pinning.load, false);
    const pg = await pinPostgres(ADMIN_URL, pinning.server);
    stops.push(() => pg.restore());
    console.log(`pinned: this load generator and pgbench's client to CPU ${pinning.load}; PostgreSQL (postmaster ${pg.postmaster}, was on ${pg.before}) and the API to CPU ${pinning.server}`);
  }
  const port = Number(values.port);
  const apis = [];
  for (let k = 0; k < instances; k++) {
    const running = await startApi({
      port: port + k,
      databaseUrl: db.url,
      ...(values['api-root'] ? { root: path.resolve(values['api-root']) } : {}),
      nodeArgs: values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof']] : [],
      env: redisUrl ? { REDIS_URL: redisUrl, JIZAN_BOARD_KEY_PREFIX: boardPrefix } : {},
    });
    stops.push(running.stop);
    if (pinning) pin(running.pid, pinning.server);
    apis.push(running);
  }
  let balancer: Balancer | null = null;
  if (instances > 1) {
    // Frontend k spreads over the first k+1 instances: one behind the balancer, then all of them.
    balancer = await startBalancer(balancerKind, apis.map((_, k) => port + k), port + instances);
    stops.push(balancer.stop);
    if (pinning) for (const p of balancer.pids()) pin(p, pinning.server);
  }
  const apiPids = apis.map((a) => a.pid);
  const balancerPids = () => balancer?.pids() ?? [];
  const targets: { label: string; base: string }[] = [{ label: instances > 1 ? 'direct, 1 instance' : 'direct', base: apis[0]!.base }];
  if (balancer) {
    targets.push({ label: `${balancerKind}, 1 instance`, base: balancer.bases[0]! });
    targets.push({ label: `${balancerKind}, ${instances} instances`, base: balancer.bases[instances - 1]! });
  }

  type Shape = LoadResult & ReturnType<typeof cpuPerRequest> & { likesPerBatch: number; cores: number[]; open: { spec: RateSpec; result: OpenLoopResult }[] };
  const setupBase = apis[0]!.base;
  /** Likers who each like up to `perLiker` of the sharers, consecutive requests from different likers. */
  const likers = (label: string, count: number) =>
    inBatches(Array.from({ length: count }, (_, l) => l), 16, async (l) => (await loginAs(setupBase, `${label}-l${l}`)).token);
  const likeOf = (sharers: string[], tokens: string[], perLikerCount: number) => (i: number) => {
    const l = i % tokens.length;
    const j = Math.floor(i / tokens.length) % perLikerCount;
    return { method: 'POST' as const, path: `/v1/shares/${sharers[(l * 7 + j) % sharers.length]}/like`, token: tokens[l] };
  };

  /** Sharers who each captain a team and send a like card; likers who each like up to 15 of them. */
  async function shape(label: string, sharerCount: number, base: string): Promise<Shape> {
    const sharers = await inBatches(Array.from({ length: sharerCount }, (_, s) => s), 16, async (s) => {
      const u = await loginAs(setupBase, `${label}-s${s}`);
      await api(setupBase, 'POST', `/v1/campaigns/${campaign.id}/teams`, u.token, { name: `${label}${s}` });
      return (await api<{ token: string }>(setupBase, 'POST', '/v1/shares', u.token, { campaignId: campaign.id, kind: 'like' })).token;
    });
    const perLiker = Math.min(15, sharerCount);
    const likerTokens = await likers(label, Math.ceil(total / perLiker));
    // Statistics, as a database that has been running has them: this one is seconds old, and
    // autovacuum would get to it only after the run. The like's plans are generic and made at its
    // first call; without statistics PostgreSQL looked the sharers' balance rows up through the
    // board's (campaign, energy) index, every row of the campaign per lookup (the README's
    // "Statistics before a storm").
    await rows(database.db, sql`analyze`);
    // Consecutive requests come from different likers, as in a real storm: no like is refused
    // and no liker's own counter row is what serialises the load.
    const before = cpuSample(apiPids, db.name, balancerPids());
    const cores = coreCpu();
    const [newest] = await rows<{ last: unknown }>(database.db, sql`select coalesce(max(id), 0) as last from likes`);
    const result = await closedLoop(base, { connections, amount: total, next: likeOf(sharers, likerTokens, perLiker) });
    const after = cpuSample(apiPids, db.name, balancerPids());
    const coresAfter = coreCpu();
    const likes = result.perSecond * result.seconds;
    // The likes one call of like_shares wrote share its transaction id: likes per transaction is the batches' average size.
    const [sizes] = await rows<{ likes: unknown; batches: unknown }>(
      database.db,
      sql`select count(*) as likes, count(distinct xmin::text) as batches from likes where id > ${Number(newest?.last ?? 0)}`,
    );
    const likesPerBatch = Number(sizes?.likes) / Math.max(1, Number(sizes?.batches));
    // Then the same likes (from likers of their own, so none is refused as a repeat) at each fixed rate.
    const open: Shape['open'] = [];
    for (const [k, spec] of rates.entries()) {
      const rate = rateFor(spec, result.perSecond);
      const tokens = await likers(`${label}-o${k}`, Math.ceil((rate * openSeconds) / perLiker));
      open.push({ spec, result: await openLoop(base, { rate, seconds: openSeconds, connections, next: likeOf(sharers, tokens, perLiker), ...timelineFor(values.timeline, `${label}-${rate}`) }) });
    }
    return { ...result, ...cpuPerRequest(before, after, likes), likesPerBatch, cores: coresBusy(cores, coresAfter), open };
  }

  const measured: { label: string; base: string; healthz: LoadResult; many: Shape; hot: Shape }[] = [];
  for (const [t, target] of targets.entries()) {
    const healthz = await closedLoop(target.base, { connections, amount: total, next: () => ({ method: 'GET', path: '/healthz' }) });
    const many = await shape(`t${t}-many`, manySharers, target.base);
    const hot = await shape(`t${t}-hot`, 10, target.base);
    measured.push({ ...target, healthz, many, hot });
  }
  for (const stop of stops.splice(pinning ? 1 : 0).reverse()) await stop();
  const pgMany = await pgbench(manySharers);
  const pgHot = await pgbench(10);
  const [drift, histogramDrift] = await Promise.all([findDrift(database.db), findHistogramDrift(database.db)]);

  const row = (r: Shape, ref: { tps: number; machineBusy: number }) => ({
    apiLikesPerSec: Math.round(r.perSecond),
    pgbenchTps: Math.round(ref.tps),
    ratio: Number((r.perSecond / ref.tps).toFixed(3)),
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    // CPU per like, in ms: the API processes, the balancer, the benchmark database's backends, the load generator.
    apiCpuMs: Number(r.apiCpuMs.toFixed(3)),
    ...(balancer ? { balancerCpuMs: Number(r.balancerCpuMs.toFixed(3)) } : {}),
    databaseCpuMs: Number(r.databaseCpuMs.toFixed(3)),
    loadCpuMs: Number(r.loadCpuMs.toFixed(3)),
    machineBusy: Number(r.machineBusy.toFixed(2)),
    coresBusy: r.cores.map((c) => Number(c.toFixed(2))),
    likesPerBatch: Number(r.likesPerBatch.toFixed(1)),
    pgbenchMachineBusy: Number(ref.machineBusy.toFixed(2)),
    ...(r.open.length > 0 ? { openLoop: r.open.map(({ spec, result }) => openLoopRow(spec, result)) } : {}),
  });
  const first = measured[0]!;
  const results = {
    ...row(first.many, pgMany),
    hot: row(first.hot, pgHot),
    ...(pinning ? { pinned: pinning } : {}),
    ...(redisUrl ? { redis: true } : {}),
    ...(measured.length > 1
      ? { targets: Object.fromEntries(measured.map((m) => [m.label, { healthzPerSec: Math.round(m.healthz.perSecond), many: row(m.many, pgMany), hot: row(m.hot, pgHot) }])) }
      : {}),
  };
  console.log(
    `PostgreSQL${redisUrl ? ' and Redis' : ''}, ${total} likes per shape, ${connections} connections (${generator}); pgbench ${values.seconds} s, same connections` +
      (pinning ? `; load generator on CPU ${pinning.load}, API and PostgreSQL on CPU ${pinning.server}` : ''),
  );
  const lb = balancer ? 'LB cpu'.padStart(9) : '';
  console.log(
    `${'shape'.padEnd(40)}${'API/s'.padStart(9)}${'pgbench'.padStart(9)}${'ratio'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'API cpu'.padStart(9)}${lb}${'PG cpu'.padStart(9)}${'load cpu'.padStart(9)}${'busy'.padStart(6)}${'cores'.padStart(10)}${'batch'.padStart(7)}  refused`,
  );
  const shapes = (m: (typeof measured)[number]) =>
    [
      [`${m.label}: ${manySharers} sharers`, m.many, pgMany],
      [`${m.label}: 10 hot sharers`, m.hot, pgHot],
    ] as const;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  for (const m of measured) {
    console.log(`${`${m.label}: GET /healthz`.padEnd(40)}${fmt(m.healthz.perSecond)}${''.padStart(18)}${fmt(m.healthz.p50Ms, 1)}${fmt(m.healthz.p99Ms, 1)}  ${m.healthz.non2xx + m.healthz.errors}`);
    for (const [label, r, ref] of shapes(m)) {
      console.log(
        `${label.padEnd(40)}${fmt(r.perSecond)}${fmt(ref.tps)}${fmt(r.perSecond / ref.tps, 3)}${fmt(r.p50Ms, 1)}${fmt(r.p99Ms, 1)}${fmt(r.apiCpuMs, 2)}${balancer ? fmt(r.balancerCpuMs, 2) : ''}${fmt(r.databaseCpuMs, 2)}${fmt(r.loadCpuMs, 2)}${pct(r.machineBusy).padStart(6)}${r.cores.map(pct).join('/').padStart(10)}${fmt(r.likesPerBatch, 1).slice(2)}  ${r.non2xx + r.errors}`,
      );
    }
  }
  // The whole machine's CPU per like against pgbench's per transaction: what the ratio could be if
  // the like kept every core busy at the CPU it costs now (load generator and API included).
  const coreCount = cpus().length;
  for (const m of measured) {
    for (const [label, r, ref] of shapes(m)) {
      const perLike = (r.machineBusy * coreCount * 1000) / r.perSecond;
      const perTx = (ref.machineBusy * coreCount * 1000) / ref.tps;
      console.log(
        `${label}: the machine spent ${perLike.toFixed(2)} ms of CPU per like, pgbench ${perTx.toFixed(2)} ms per transaction (cores ${Math.round(ref.machineBusy * 100)}% busy); ` +
          `with every core busy, the like's ratio could reach ${(perTx / perLike).toFixed(2)} at most`,
      );
    }
  }
  console.log(
    `(API cpu,${balancer ? ' LB cpu,' : ''} PG cpu, load cpu: milliseconds of CPU per like in the API process${instances > 1 ? 'es' : ''},${balancer ? ' the balancer,' : ''} the database backends and this load generator; busy: share of all cores busy; cores: each core's; batch: likes per like_shares call)`,
  );
  if (rates.length > 0) {
    console.log(`open loop, ${openSeconds} s per rate, up to ${connections} connections`);
    console.log(OPEN_LOOP_HEADER);
    for (const m of measured) for (const [label, r] of shapes(m)) for (const { spec, result } of r.open) console.log(openLoopLine(label, spec, result));
    console.log(OPEN_LOOP_NOTE);
  }
  console.log(drift.length === 0 ? 'ledger and balances agree' : `DRIFT: ${drift.length} balances disagree with the ledger`);
  console.log(histogramDrift.length === 0 ? 'histogram and balances agree' : `DRIFT: ${histogramDrift.length} histogram counts disagree with the balances`);
  writeResults('likes.json', results);
  const refused = measured.reduce((n, m) => n + m.many.non2xx + m.many.errors + m.hot.non2xx + m.hot.errors, 0);
  if (drift.length > 0 || histogramDrift.length > 0 || refused > 0) process.exitCode = 1;
} finally {
  for (const stop of stops.reverse()) await stop();
  if (redisUrl) {
    const redis = new Redis(redisUrl, { lazyConnect: true });
    await redis.connect();
    const found = await redis.keys(`${boardPrefix}*`);
    if (found.length > 0) await redis.del(...found);
    redis.disconnect();
  }
  await database.close();
  await db.drop();
}
