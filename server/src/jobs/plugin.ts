import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { JOBS, type JobDeps } from './registry.js';
import { startJobs, type JobRunner } from './runner.js';

/** Runs the background jobs inside the API process: started once the app is ready, stopped on close. */
async function jobsInProcess(app: FastifyInstance, opts: { deps: JobDeps; intervalMs: number }) {
  let runner: JobRunner | null = null;
  app.addHook('onReady', async () => {
    const log = app.log.child({ component: 'jobs' });
    runner = startJobs(opts.deps, JOBS, { intervalMs: opts.intervalMs, log });
    log.info({ jobs: JOBS.map((j) => j.name), intervalMs: opts.intervalMs }, 'jobs running in process');
  });
  // Stop before the database plugin closes the connection the jobs use.
  app.addHook('preClose', async () => {
    await runner?.stop();
  });
}

export default fp(jobsInProcess, { name: 'jobs' });
