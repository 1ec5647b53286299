import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A background job: `run` does whatever is due now and says how many units it handled. It must be
 * safe to run in every instance at once (claim work with row locks and SKIP LOCKED) and safe to
 * stop at any point (each unit of work is its own transaction), because the runner does both.
 */
export interface Job<D> {
  name: string;
  run(deps: D, signal: AbortSignal): Promise<number>;
}

/** pino's call shape, so Fastify's logger fits, and the console one below for the jobs process. */
export interface JobLogger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface JobRunner {
  /** Resolves once every job finished the run it was in. */
  stop(): Promise<void>;
}

/**
 * Runs each job in its own loop: run, wait `intervalMs`, run again. A failed run is logged and
 * retried at the next tick, so a passing database hiccup never stops the jobs.
 */
export function startJobs<D>(deps: D, jobs: readonly Job<D>[], opts: { intervalMs: number; log: JobLogger }): JobRunner {
  const controller = new AbortController();
  const { signal } = controller;
  // Every loop's sleep, and whatever a run hands the signal to (a fetch, a query), listens on this
  // one signal at once; Node warns past 10 listeners, which is a leak only when they pile up.
  setMaxListeners(Math.max(10, jobs.length * 3), signal);
  const loops = jobs.map(async (job) => {
    while (!signal.aborted) {
      await runJob(deps, job, signal, opts.log);
      await sleep(opts.intervalMs, undefined, { signal }).catch(() => {});
    }
  });
  return {
    stop: async () => {
      controller.abort();
      await Promise.all(loops);
    },
  };
}

/** One run of one job, logged; never throws. Returns the units handled, or null when it failed. */
export async function runJob<D>(deps: D, job: Job<D>, signal: AbortSignal, log: JobLogger): Promise<number | null> {
  const started = Date.now();
  try {
    const done = await job.run(deps, signal);
    if (done > 0) log.info({ job: job.name, done, ms: Date.now() - started }, 'job ran');
    return done;
  } catch (err) {
    log.error({ job: job.name, err }, 'job failed; it runs again at the next tick');
    return null;
  }
}

export const consoleLogger: JobLogger = {
  info: (obj, msg) => console.log(JSON.stringify({ level: 'info', time: new Date().toISOString(), ...obj, msg })),
  error: (obj, msg) => {
    const { err, ...rest } = obj as { err?: unknown };
    const error = err instanceof Error ? { message: err.message, stack: err.stack } : err;
    console.error(JSON.stringify({ level: 'error', time: new Date().toISOString(), ...rest, err: error, msg }));
  },
};
