/**
 * What both HTTP benches share: a scratch PostgreSQL database, the API started as its own process
 * on it (loopback only), and autocannon runs against it with a bounded number of requests.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startServerProcess } from '../dev/server-process.js';
import { UNLIMITED_RATES } from '@jizan/server/config';
import { createScratchDatabase, type ScratchDatabase } from '@jizan/server/scratch';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ADMIN_URL = process.env.JIZAN_BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh database on the admin connection's server; `drop` removes it. */
export function scratchDatabase(prefix: string): Promise<ScratchDatabase> {
  return createScratchDatabase(ADMIN_URL, { prefix });
}

export interface RunningApi {
  base: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts `server/src/server.ts` on 127.0.0.1:port against `databaseUrl` and waits for /healthz. */
export async function startApi(opts: {
  port: number;
  databaseUrl: string;
  env?: Record<string, string>;
  nodeArgs?: string[];
  /** Another checkout to run the API from (to measure a before/after pair on one database). */
  root?: string;
}): Promise<RunningApi> {
  const server = await startServerProcess({
    port: opts.port,
    ...(opts.root ? { root: opts.root } : {}),
    ...(opts.nodeArgs ? { nodeArgs: opts.nodeArgs } : {}),
    output: 'errors',
    healthTimeoutMs: 60_000,
    env: {
      NODE_ENV: 'development',
      DATABASE_URL: opts.databaseUrl,
      JIZAN_DATA_DIR: path.join(ROOT, '.data', 'bench'),
      JIZAN_H5_DIR: 'none',
      JIZAN_SEED: '',
      JIZAN_JOBS_IN_PROCESS: 'false',
      JWT_SECRET: 'bench-secret-0123456789-0123456789-abcdef',
      ...UNLIMITED_RATES,
      ...opts.env,
    },
  });
  return { base: server.base, pid: server.pid, stop: server.stop };
}

export async function api<T>(base: string, method: string, url: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (res.status >= 400) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function loginAs(base: string, name: string): Promise<{ token: string; id: string }> {
  const out = await api<{ token: string; user: { id: string } }>(base, 'POST', '/v1/auth/login', undefined, { code: `dev:${name}` });
  return { token: out.token, id: out.user.id };
}

/** Runs `n` at a time over `items` (setup only; the measured load goes through autocannon). */
export async function inBatches<T, R>(items: T[], n: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

export interface LoadResult {
  perSecond: number;
  /** Wall time of the run. */
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

/**
 * `amount` requests (or as many as fit in `seconds`) over `connections` keep-alive connections; `next(i)` gives the i-th request.
 * Throughput is requests over the time from the start to the last answer; latencies are autocannon's (HdrHistogram, ms).
 */
export async function load(
  base: string,
  opts: { connections: number; amount?: number; seconds?: number; next: (i: number) => { method: 'GET' | 'POST'; path: string; token?: string } },
): Promise<LoadResult> {
  let i = 0;
  const started = process.hrtime.bigint();
  let lastAnswer = started;
  // The promise autocannon answers is its event emitter too (its typings leave that out).
  const run = autocannon({
    url: base,
    connections: opts.connections,
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.seconds ?? 10 }),
    // autocannon notices that the run is over on its sampling tick: 1 s by default, which added up
    // to a second of idle tail to a bounded run (a tenth of its time) and diluted "busy" with it.
    sampleInt: 100,
    timeout: 30,
    requests: [
      {
        setupRequest: (req) => {
          const r = opts.next(i++);
          return { ...req, method: r.method, path: r.path, headers: r.token ? { authorization: `Bearer ${r.token}` } : {} };
        },
      },
    ],
  }) as Promise<autocannon.Result> & EventEmitter;
  run.on('response', () => {
    lastAnswer = process.hrtime.bigint();
  });
  const result = await run;
  // Throughput over the time the answers took: from the start to the last answer, not to the tick after it.
  const seconds = Number(lastAnswer - started) / 1e9;
  return {
    perSecond: result.requests.total / seconds,
    seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export function writeResults(file: string, data: unknown): void {
  const dir = path.join(ROOT, 'bench-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, file), `${JSON.stringify(data, null, 2)}\n`);
}

export const fmt = (n: number, digits = 0) => n.toFixed(digits).padStart(9);

/** CPU time (ms, user + system) used so far by the API process, the database's backends, this load generator, and the whole machine. */
export interface CpuSample {
  /** Every API process measured (several behind a balancer). */
  apiMs: number;
  /** The load balancer's processes, when there is one (0 otherwise). */
  balancerMs: number;
  databaseMs: number;
  /** This process (autocannon and whatever the bench does beside it) and its ended children (wrk). */
  loadMs: number;
  /** Every core's busy and total time (/proc/stat), to tell whether the machine ran out of CPU. */
  machine: MachineCpu;
}

export interface MachineCpu {
  busyMs: number;
  totalMs: number;
}

/**
 * CPU of this process's children that have ended and been waited for (cutime + cstime): a load
 * generator run as a child (wrk) counts as load, like autocannon inside this process. The API
 * processes and pgbench are children too, but none of them ends between the two samples of a run.
 */
function childrenMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/**
 * Reads /proc (Linux): the API process by pid, and every PostgreSQL backend whose title names the
 * bench's database (other sessions on the server are not counted). A backend that ended between
 * two samples takes its time with it, so take both samples while the pool is open.
 */
export function cpuSample(apiPids: number | number[], database: string, balancerPids: number[] = []): CpuSample {
  const apis = new Set(Array.isArray(apiPids) ? apiPids : [apiPids]);
  const balancer = new Set(balancerPids);
  const ticks = (pid: string) => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // 100 ticks a second on Linux
  };
  let apiMs = 0;
  let balancerMs = 0;
  let databaseMs = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (apis.has(Number(pid))) apiMs += ticks(pid);
      else if (balancer.has(Number(pid))) balancerMs += ticks(pid);
      else {
        // A backend's title: "postgres: [cluster: ]<user> <database> <client> <state>".
        const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (title.startsWith('postgres: ') && title.includes(` ${database} `)) databaseMs += ticks(pid);
      }
    } catch {
      // gone meanwhile
    }
  }
  const own = process.cpuUsage();
  return { apiMs, balancerMs, databaseMs, loadMs: (own.user + own.system) / 1000 + childrenMs(), machine: machineCpu() };
}

/** All cores' busy and total time so far (ms, /proc/stat). */
export function machineCpu(): MachineCpu {
  // "cpu  user nice system idle iowait irq softirq steal ...": idle and iowait are the idle part.
  const all = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const totalMs = all.reduce((a, b) => a + b, 0) * 10;
  return { busyMs: totalMs - (all[3]! + all[4]!) * 10, totalMs };
}

/** The share of all cores busy between two readings of `machineCpu` (0–1). */
export function busyBetween(before: MachineCpu, after: MachineCpu): number {
  return (after.busyMs - before.busyMs) / Math.max(1, after.totalMs - before.totalMs);
}

/** Per request between two samples: each side's CPU (ms) and how busy the machine's cores were (0–1). */
export function cpuPerRequest(before: CpuSample, after: CpuSample, requests: number) {
  const per = (k: 'apiMs' | 'balancerMs' | 'databaseMs' | 'loadMs') => (after[k] - before[k]) / requests;
  return {
    apiCpuMs: per('apiMs'),
    balancerCpuMs: per('balancerMs'),
    databaseCpuMs: per('databaseMs'),
    loadCpuMs: per('loadMs'),
    machineBusy: busyBetween(before.machine, after.machine),
  };
}
