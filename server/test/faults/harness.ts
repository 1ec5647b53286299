import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, UNLIMITED_RATES } from '../../src/config.js';

/**
 * What the fault tests drive: a throwaway PostgreSQL cluster they may restart, and API servers
 * as real child processes they may kill. Everything listens on loopback only.
 */

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function pgBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const version = readdirSync(root).sort((a, b) => Number(a) - Number(b)).at(-1);
  return version ? path.join(root, version, 'bin') : null;
}

/** Why the fault tests cannot run here, or null when they can. */
export function cannotRun(): string | null {
  if (!pgBin()) return 'no PostgreSQL binaries under /usr/lib/postgresql';
  if (process.getuid?.() !== 0) return 'not root: initdb must run as the postgres user';
  return null;
}

export interface Cluster {
  url(database?: string): string;
  /**
   * A crash (`-m immediate`: no checkpoint, in-flight work aborted; committed work survives it).
   * Asynchronous, so clients keep calling while the database is down.
   */
  crash(): Promise<void>;
  start(): Promise<void>;
  stop(): void;
}

export async function startCluster(): Promise<Cluster> {
  const bin = pgBin()!;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jizan-faults-'));
  chownSync(dir, Number(run('id', ['-u', 'postgres']).trim()), Number(run('id', ['-g', 'postgres']).trim()));
  const port = await freePort();
  const data = path.join(dir, 'data');
  asPostgres(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const pgCtlArgs = (args: string[]) =>
    ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`, '-l', path.join(dir, 'log'), '-w', ...args];
  const pgCtl = (args: string[]) => asPostgres(path.join(bin, 'pg_ctl'), pgCtlArgs(args));
  const pgCtlAsync = (args: string[]) => asPostgresAsync(path.join(bin, 'pg_ctl'), pgCtlArgs(args));
  pgCtl(['start']);
  return {
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    crash: () => pgCtlAsync(['-m', 'immediate', 'stop']),
    start: () => pgCtlAsync(['start']),
    stop: () => {
      try {
        pgCtl(['-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

function asPostgres(cmd: string, args: string[]): string {
  return run('runuser', ['-u', 'postgres', '--', cmd, ...args]);
}

function asPostgresAsync(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr}`))));
  });
}

export interface ServerProcess {
  baseUrl: string;
  child: ChildProcess;
  /** Resolves once the process exited. */
  exited: Promise<void>;
}

/** `pnpm start`'s server (no H5, no seed) as a child process; resolves once `/readyz` says ready. */
export async function startServer(opts: { port: number; databaseUrl: string; env?: Record<string, string> }): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'server/src/server.ts')], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(opts.port),
      DATABASE_URL: opts.databaseUrl,
      JWT_SECRET: 'fault-tests-secret-long-enough-for-hs256-0123456789',
      JIZAN_H5_DIR: 'none',
      JIZAN_SEED: '',
      JIZAN_JOBS_IN_PROCESS: 'off',
      ...UNLIMITED_RATES,
      DATABASE_CONNECT_TIMEOUT_MS: '2000',
      DATABASE_STATEMENT_TIMEOUT_MS: '5000',
      LOG_LEVEL: 'error',
      ...opts.env,
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before it was ready`);
    const res = await fetch(`${baseUrl}/readyz`).catch(() => null);
    if (res?.status === 200) return { baseUrl, child, exited };
    if (Date.now() > deadline) throw new Error('server not ready within 30 s');
    await sleep(100);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Answer {
  status: number;
  body: unknown;
}

/** One HTTP call; a refused or reset connection is `status: 0`, as a phone on a bad network sees it. */
export async function call(baseUrl: string, method: string, url: string, opts: { token?: string; body?: unknown; key?: string } = {}): Promise<Answer> {
  try {
    const res = await fetch(`${baseUrl}${url}`, {
      method,
      headers: {
        ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.key ? { 'idempotency-key': opts.key } : {}),
      },
      ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
      signal: AbortSignal.timeout(15_000),
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  } catch {
    return { status: 0, body: null };
  }
}

/**
 * A client that retries under the same Idempotency-Key while the answer says "try again"
 * (503, or no answer at all), as the mini-program's request wrapper does, until `deadline`.
 */
export async function callUntilAnswered(
  baseUrl: () => string,
  method: string,
  url: string,
  opts: { token?: string; body?: unknown; key?: string; deadline: number; onRetry?: (a: Answer) => void },
): Promise<Answer> {
  for (;;) {
    const answer = await call(baseUrl(), method, url, opts);
    if (answer.status !== 0 && answer.status !== 503) return answer;
    if (Date.now() > opts.deadline) return answer;
    opts.onRetry?.(answer);
    await sleep(100 + Math.random() * 200);
  }
}
