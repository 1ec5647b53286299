/**
 * The reads every friend and player hits, on a campaign filled in bulk (SQL generate_series) to
 * 1,000,000 participants and 10,000 teams, against /healthz of the same API in the same run:
 * the share landing, the campaign home, the team leaderboard and the user leaderboard.
 * Writes bench-results/reads.json (reads-no-analyze.json with --no-analyze).
 * Each read is asked by viewers spread over the board (256 by default; the team board by team
 * members) and the landing over cards of sharers spread over it (64), so no single row is hot.
 * With --redis <url> (or JIZAN_BENCH_REDIS_URL) the two boards are measured again on an API
 * ranking them in Redis sorted sets (REDIS_URL), once the campaign's boards are loaded there.
 * With --no-analyze the fill is left as a restore or a bulk import leaves it: no VACUUM, no ANALYZE
 * before the API starts (the API's own boot step then refreshes what has no statistics).
 * With --rate half|N[,…] each read (and /healthz) is also offered at a fixed rate after its closed
 * loop, `half` being half of the peak that closed loop measured: p50, p99 and p99.9 from each
 * request's scheduled send (coordinated omission corrected, ./open-loop.ts), PASS/MISS against
 * p99 < 50 ms. --open-seconds sets how long each open-loop run offers (default --seconds);
 * --timeline <dir> writes each open-loop run as CSV, one row per request, to find when a tail happened.
 *   pnpm bench:reads [--no-analyze] [--rate half,2000] [--open-seconds 5] [--participants 1000000] [--teams 10000] [--seconds 10] [--connections 64] [--port 3122] [--viewers 256] [--cards 64] [--redis url] [--cpu-prof dir] [--timeline dir]
 */
import { parseArgs } from 'node:util';
import { createCampaign } from '@jizan/server/campaigns';
import { migrateDatabase, openDatabase } from '@jizan/server/db';
import { findHistogramDrift } from '@jizan/server/leaderboard';
import { findDrift } from '@jizan/server/ledger';
import { Redis } from 'ioredis';
import pg from 'pg';
import { OPEN_LOOP_HEADER, OPEN_LOOP_NOTE, openLoop, openLoopLine, openLoopRow, parseRates, rateFor, timelineFor, type OpenLoopResult, type RateSpec } from './open-loop.js';
import { api, cpuPerRequest, cpuSample, fmt, inBatches, load, loginAs, scratchDatabase, startApi, writeResults, type LoadResult } from './harness.js';

const { values } = parseArgs({
  options: {
    participants: { type: 'string', default: '1000000' },
    teams: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    port: { type: 'string', default: '3122' },
    viewers: { type: 'string', default: '256' },
    cards: { type: 'string', default: '64' },
    'cpu-prof': { type: 'string' },
    'db-prefix': { type: 'string', default: 'jizan_bench' },
    redis: { type: 'string', default: process.env.JIZAN_BENCH_REDIS_URL || '' },
    'no-analyze': { type: 'boolean', default: false },
    rate: { type: 'string' },
    'open-seconds': { type: 'string' },
    timeline: { type: 'string' },
  },
});
const n = Number(values.participants);
const teamCount = Number(values.teams);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const rates = parseRates(values.rate);
const openSeconds = Number(values['open-seconds'] ?? values.seconds);

const db = await scratchDatabase(`${values['db-prefix']}_reads`);
const database = await openDatabase({ databaseUrl: db.url, dataDir: 'memory://' });
// Set by startOn inside a closure, which the flow analysis cannot see, hence the cast.
let stopApi = null as (() => Promise<void>) | null;
try {
  await migrateDatabase(database);
  const now = new Date();
  const campaign = await createCampaign(
    { db: database.db },
    { slug: 'bench-reads', name: 'bench', startsAt: new Date(now.getTime() - 3600_000), endsAt: new Date(now.getTime() + 3 * 3600_000) },
  );

  // Users bulk<g> (the dev login `dev:bulk<g>` logs in as them); the first teams×5 are in teams of
  // 5 captained by users 1..teams; two in three have energy (997 distinct values, so many ties),
  // each from one ledger row, and team balances are their members' ledger sums: balances equal
  // the ledger, as the like keeps them. The histogram triggers record every balance as it is
  // written, as they do for the like; one compaction folds them in.
  const started = Date.now();
  const client = new pg.Client({ connectionString: db.url });
  client.on('error', () => {});
  await client.connect();
  await client.query(`
    begin;
    create temp table bulk_users as select g, gen_random_uuid() as id, case when g % 3 = 0 then 0 else (g::bigint * 7919) % 997 * 10 + 10 end as energy from generate_series(1, ${n}) g;
    create temp table bulk_teams as select t, gen_random_uuid() as id from generate_series(1, ${teamCount}) t;
    insert into users (id, openid, nickname) select id, 'dev_bulk' || g, 'bulk' || g from bulk_users;
    insert into teams (id, campaign_id, captain_id, name, member_count)
      select t.id, '${campaign.id}', u.id, 'team' || t.t, 5 from bulk_teams t join bulk_users u on u.g = t.t;
    insert into team_members (team_id, campaign_id, user_id, role)
      select t.id, '${campaign.id}', u.id, case when u.g <= ${teamCount} then 'captain' else 'member' end
      from bulk_users u join bulk_teams t on t.t = (u.g - 1) % ${teamCount} + 1 where u.g <= ${teamCount * 5};
    insert into participants (campaign_id, user_id, energy) select '${campaign.id}', id, energy from bulk_users;
    insert into energy_ledger (campaign_id, user_id, team_id, amount, reason)
      select '${campaign.id}', u.id, tm.team_id, u.energy, 'like' from bulk_users u left join team_members tm on tm.user_id = u.id where u.energy > 0;
    update teams t set energy = s.energy from (select team_id, sum(amount) as energy from energy_ledger where team_id is not null group by team_id) s where s.team_id = t.id;
    commit;
    select compact_energy_histogram();`);
  // Its own command (VACUUM refuses a multi-statement string): fresh statistics and visibility map.
  if (!values['no-analyze']) await client.query('vacuum analyze');
  await client.end();
  console.log(`filled ${n} participants and ${teamCount} teams in ${((Date.now() - started) / 1000).toFixed(0)} s${values['no-analyze'] ? ', neither vacuumed nor analyzed' : ''}`);

  const startOn = async (env: Record<string, string> = {}) => {
    const api = await startApi({
      port: Number(values.port),
      databaseUrl: db.url,
      nodeArgs: values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof']] : [],
      env,
    });
    stopApi = api.stop;
    return api;
  };
  let running = await startOn();
  const base = running.base;
  // Viewers spread over the whole board (top, middle, bottom; every third has no energy) and, for
  // the team board, over the team members; cards from sharers spread over the board too.
  const spreadOver = (count: number, max: number) => Array.from({ length: count }, (_, i) => `bulk${Math.floor((i * max) / count) + 1}`);
  const logins = async (names: string[]) => inBatches(names, 8, (name) => loginAs(base, name));
  const viewers = await logins(spreadOver(Number(values.viewers), n));
  const members = await logins(spreadOver(Number(values.viewers), Math.min(n, teamCount * 5)));
  const sharers = await logins(spreadOver(Number(values.cards), n).map((u) => u.replace(/\d+$/, (d) => String(Number(d) + 1))));
  const cards = await inBatches(sharers, 8, async (s) => (await api<{ token: string }>(base, 'POST', '/v1/shares', s.token, { campaignId: campaign.id, kind: 'like' })).token);

  // Each route is first run unmeasured for a couple of seconds, /healthz included, so that no
  // figure carries the API's compilation of that route's code or its caches' first reads.
  // Then, with --rate, the same requests offered at each fixed rate (open loop).
  type Measured = LoadResult & ReturnType<typeof cpuPerRequest> & { open: { spec: RateSpec; result: OpenLoopResult }[] };
  const measure = async (name: string, path: (i: number) => string, who: { token: string }[] | null): Promise<Measured> => {
    const next = (i: number) => ({ method: 'GET' as const, path: path(i), ...(who ? { token: who[i % who.length]!.token } : {}) });
    await load(base, { connections, seconds: 2, next });
    const before = cpuSample(running.pid, db.name);
    const result = await load(base, { connections, seconds, next });
    const after = cpuSample(running.pid, db.name);
    const open: Measured['open'] = [];
    for (const spec of rates) {
      open.push({ spec, result: await openLoop(base, { rate: rateFor(spec, result.perSecond), seconds: openSeconds, connections, next, ...timelineFor(values.timeline, `${name}-${rateFor(spec, result.perSecond)}`) }) });
    }
    return { ...result, ...cpuPerRequest(before, after, result.perSecond * result.seconds), open };
  };
  const healthz = await measure('healthz', () => '/healthz', null);
  const reads: Record<string, Measured> = {
    shareLanding: await measure('shareLanding', (i) => `/v1/shares/${cards[(i * 7) % cards.length]}`, viewers),
    campaignHome: await measure('campaignHome', () => `/v1/campaigns/${campaign.id}`, viewers),
    teamLeaderboard: await measure('teamLeaderboard', () => `/v1/campaigns/${campaign.id}/leaderboard?by=team`, members),
    userLeaderboard: await measure('userLeaderboard', () => `/v1/campaigns/${campaign.id}/leaderboard?by=user`, viewers),
  };
  await running.stop();
  stopApi = null;
  if (values.redis) {
    // Keys of their own, dropped afterwards, so the run neither sees nor leaves other boards.
    const prefix = `bench:${db.name}:`;
    const redis = new Redis(values.redis, { lazyConnect: true });
    await redis.connect();
    try {
      running = await startOn({ REDIS_URL: values.redis, JIZAN_BOARD_KEY_PREFIX: prefix });
      // The first read of a board starts its load from PostgreSQL; measure once it is in Redis.
      const loadStarted = Date.now();
      while (!(await redis.exists(`${prefix}${campaign.id}:loaded`))) {
        await api(base, 'GET', `/v1/campaigns/${campaign.id}/leaderboard?by=user`, viewers[0]!.token);
        await new Promise((r) => setTimeout(r, 500));
      }
      console.log(`boards loaded into Redis in ${((Date.now() - loadStarted) / 1000).toFixed(0)} s`);
      Object.assign(reads, {
        teamLeaderboardRedis: await measure('teamLeaderboardRedis', () => `/v1/campaigns/${campaign.id}/leaderboard?by=team`, members),
        userLeaderboardRedis: await measure('userLeaderboardRedis', () => `/v1/campaigns/${campaign.id}/leaderboard?by=user`, viewers),
      });
      await running.stop();
      stopApi = null;
    } finally {
      const found = await redis.keys(`${prefix}*`);
      if (found.length > 0) await redis.del(...found);
      redis.disconnect();
    }
  }
  const [drift, histogramDrift] = await Promise.all([findDrift(database.db), findHistogramDrift(database.db)]);

  const row = (r: Measured) => ({
    perSec: Math.round(r.perSecond),
    ratio: Number((r.perSecond / healthz.perSecond).toFixed(3)),
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    failed: r.non2xx + r.errors,
    // CPU per request, in ms: the API process, the benchmark database's backends, the load generator.
    apiCpuMs: Number(r.apiCpuMs.toFixed(3)),
    databaseCpuMs: Number(r.databaseCpuMs.toFixed(3)),
    loadCpuMs: Number(r.loadCpuMs.toFixed(3)),
    machineBusy: Number(r.machineBusy.toFixed(2)),
    ...(r.open.length > 0 ? { openLoop: r.open.map(({ spec, result }) => openLoopRow(spec, result)) } : {}),
  });
  const results = {
    participants: n,
    analyzed: !values['no-analyze'],
    teams: teamCount,
    connections,
    secondsPerRoute: seconds,
    healthz: row(healthz),
    ...Object.fromEntries(Object.entries(reads).map(([k, r]) => [k, row(r)])),
  };
  console.log(`PostgreSQL${values['no-analyze'] ? ' (filled, not analyzed)' : ''}, ${n} participants, ${teamCount} teams, ${connections} connections, ${seconds} s per route`);
  console.log(`${'route'.padEnd(20)}${'req/s'.padStart(9)}${'ratio'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'API cpu'.padStart(9)}${'PG cpu'.padStart(9)}${'load cpu'.padStart(9)}${'busy'.padStart(6)}  failed`);
  for (const [label, r] of [['/healthz', healthz], ...Object.entries(reads)] as const) {
    console.log(
      `${label.padEnd(20)}${fmt(r.perSecond)}${fmt(r.perSecond / healthz.perSecond, 3)}${fmt(r.p50Ms, 1)}${fmt(r.p99Ms, 1)}${fmt(r.apiCpuMs, 2)}${fmt(r.databaseCpuMs, 2)}${fmt(r.loadCpuMs, 2)}${`${Math.round(r.machineBusy * 100)}%`.padStart(6)}  ${r.non2xx + r.errors}`,
    );
  }
  console.log('(API cpu, PG cpu, load cpu: milliseconds of CPU per request in the API process, the database backends and this load generator; busy: share of all cores busy)');
  if (rates.length > 0) {
    console.log(`open loop, ${openSeconds} s per rate, up to ${connections} connections`);
    console.log(OPEN_LOOP_HEADER);
    for (const [label, r] of [['/healthz', healthz], ...Object.entries(reads)] as const) for (const { spec, result } of r.open) console.log(openLoopLine(label, spec, result));
    console.log(OPEN_LOOP_NOTE);
  }
  console.log(drift.length === 0 ? 'ledger and balances agree' : `DRIFT: ${drift.length} balances disagree with the ledger`);
  console.log(histogramDrift.length === 0 ? 'histogram and balances agree' : `DRIFT: ${histogramDrift.length} histogram counts disagree with the balances`);
  writeResults(values['no-analyze'] ? 'reads-no-analyze.json' : 'reads.json', results);
  if (drift.length > 0 || histogramDrift.length > 0) process.exitCode = 1;
} finally {
  await stopApi?.();
  await database.close();
  await db.drop();
}
