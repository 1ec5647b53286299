/**
 * `pnpm jobs`: the background jobs as their own process, for deployments that keep them apart from
 * the API. Any number may run beside each other and beside in-process runners: every job claims its
 * work with SKIP LOCKED. Embedded PGlite belongs to one process, so there the jobs run in the server.
 */
import { loadConfigOrExit } from '../config.js';
import { migrateDatabase, openDatabase } from '../db/client.js';
import { systemClock } from '../lib/clock.js';
import { openWechatPlatform } from '../lib/wechat/index.js';
import { groupBuyDeps } from '../modules/groupbuy/groupbuy.deps.js';
import { boardStoreFor } from '../modules/leaderboard/leaderboard.service.js';
import { JOBS, jobDeps } from './registry.js';
import { consoleLogger, runJob, startJobs } from './runner.js';

async function main() {
  const config = loadConfigOrExit();
  if (!config.databaseUrl) {
    console.error('pnpm jobs needs DATABASE_URL: on embedded PGlite the jobs run inside the server (JIZAN_JOBS_IN_PROCESS, on by default).');
    process.exit(78);
  }
  const database = await openDatabase({ ...config, poolSize: 4 });
  await migrateDatabase(database);
  const boards = boardStoreFor(database.db, config.boards, { warn: (o, m) => consoleLogger.error(o, m), info: consoleLogger.info });
  await boards.open();
  const base = { config, db: database.db, clock: systemClock, boards };
  const wechat = await openWechatPlatform(base);
  const deps = jobDeps({ ...base, groupBuy: groupBuyDeps(base), wechat });

  if (process.argv.includes('--once')) {
    const signal = new AbortController().signal;
    let failed = false;
    for (const job of JOBS) failed = (await runJob(deps, job, signal, consoleLogger)) === null || failed;
    await wechat?.close();
    await boards.close();
    await database.close();
    process.exit(failed ? 1 : 0);
  }

  const runner = startJobs(deps, JOBS, { intervalMs: config.jobs.intervalMs, log: consoleLogger });
  consoleLogger.info({ jobs: JOBS.map((j) => j.name), intervalMs: config.jobs.intervalMs }, 'jobs running');
  const stop = async (signal: string) => {
    consoleLogger.info({ signal }, 'stopping jobs');
    await runner.stop();
    await wechat?.close();
    await boards.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
