/**
 * The reads every friend and player hits, on a campaign filled in bulk (SQL generate_series) to
 * 1,000,000 participants and 10,000 teams, against /healthz of the same API in the same run:
 * the share landing, the campaign home, the team leaderboard and the user leaderboard.
 * Writes bench-results/reads.json.
 *   pnpm bench:reads [--participants 1000000] [--teams 10000] [--seconds 10] [--connections 64] [--port 3122]
 */
import { parseArgs } from 'node:util';
import { createCampaign } from '@jizan/server/campaigns';
import { migrateDatabase, openDatabase } from '@jizan/server/db';
import { findDrift } from '@jizan/server/ledger';
import pg from 'pg';
import { api, fmt, load, loginAs, scratchDatabase, startApi, writeResults, type LoadResult } from './harness.js';

const { values } = parseArgs({
  options: {
    participants: { type: 'string', default: '1000000' },
    teams: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    port: { type: 'string', default: '3122' },
    'db-prefix': { type: 'string', default: 'jizan_bench' },
  },
});
const n = Number(values.participants);
const teamCount = Number(values.teams);
const seconds = Number(values.seconds);
const connections = Number(values.connections);

const db = await scratchDatabase(`${values['db-prefix']}_reads`);
const database = await openDatabase({ databaseUrl: db.url, dataDir: 'memory://' });
let stopApi: (() => Promise<void>) | null = null;
try {
  await migrateDatabase(database);
  const now = new Date();
  const campaign = await createCampaign(
    { db: database.db },
    { slug: 'bench-reads', name: 'bench', startsAt: new Date(now.getTime() - 3600_000), endsAt: new Date(now.getTime() + 3 * 3600_000) },
  );

  // Users bulk<g> (the dev login `dev:bulk<g>` logs in as them); the first teams×5 are in teams of
  // 5 captained by users 1..teams; two in three have energy, each from one ledger row, and team
  // balances are their members' ledger sums: balances equal the ledger, as the like keeps them.
  const started = Date.now();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query(`
    begin;
    create temp table bulk_users as select g, gen_random_uuid() as id, case when g % 3 = 0 then 0 else (g * 7919) % 997 * 10 + 10 end as energy from generate_series(1, ${n}) g;
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
    analyze;`);
  await client.end();
  console.log(`filled ${n} participants and ${teamCount} teams in ${((Date.now() - started) / 1000).toFixed(0)} s`);

  const running = await startApi({ port: Number(values.port), databaseUrl: db.url });
  stopApi = running.stop;
  const base = running.base;
  // A sharer in a team, and viewers at the top, the middle and the bottom of the board.
  const sharer = await loginAs(base, 'bulk7');
  const card = (await api<{ token: string }>(base, 'POST', '/v1/shares', sharer.token, { campaignId: campaign.id, kind: 'like' })).token;
  const viewers = await Promise.all([`bulk${Math.floor(n / 2)}`, `bulk${n - 1}`, 'bulk1', `bulk${n}`].map((u) => loginAs(base, u)));
  const viewer = (i: number) => viewers[i % viewers.length]!.token;

  const measure = (path: string, auth = true): Promise<LoadResult> =>
    load(base, { connections, seconds, next: (i) => ({ method: 'GET', path, ...(auth ? { token: viewer(i) } : {}) }) });
  const healthz = await measure('/healthz', false);
  const reads = {
    shareLanding: await measure(`/v1/shares/${card}`),
    campaignHome: await measure(`/v1/campaigns/${campaign.id}`),
    teamLeaderboard: await measure(`/v1/campaigns/${campaign.id}/leaderboard?by=team`),
    userLeaderboard: await measure(`/v1/campaigns/${campaign.id}/leaderboard?by=user`),
  };
  await running.stop();
  stopApi = null;
  const drift = await findDrift(database.db);

  const row = (r: LoadResult) => ({
    perSec: Math.round(r.perSecond),
    ratio: Number((r.perSecond / healthz.perSecond).toFixed(3)),
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    failed: r.non2xx + r.errors,
  });
  const results = { participants: n, teams: teamCount, healthz: row(healthz), ...Object.fromEntries(Object.entries(reads).map(([k, r]) => [k, row(r)])) };
  console.log(`PostgreSQL, ${n} participants, ${teamCount} teams, ${connections} connections, ${seconds} s per route`);
  console.log(`${'route'.padEnd(20)}${'req/s'.padStart(9)}${'ratio'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}  failed`);
  for (const [label, r] of [['/healthz', healthz], ...Object.entries(reads)] as const) {
    console.log(`${label.padEnd(20)}${fmt(r.perSecond)}${fmt(r.perSecond / healthz.perSecond, 3)}${fmt(r.p50Ms, 1)}${fmt(r.p99Ms, 1)}  ${r.non2xx + r.errors}`);
  }
  console.log(drift.length === 0 ? 'ledger and balances agree' : `DRIFT: ${drift.length} balances disagree with the ledger`);
  writeResults('reads.json', results);
  if (drift.length > 0) process.exitCode = 1;
} finally {
  await stopApi?.();
  await database.close();
  await db.drop();
}
