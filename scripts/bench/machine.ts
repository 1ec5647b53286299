/**
 * The machine around a bench: a real load balancer (HAProxy or nginx, the Debian packages) in
 * front of several API processes, and CPU pinning with taskset (the load generator on one core,
 * the API and PostgreSQL on the other) to show what one more core buys.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export type BalancerKind = 'haproxy' | 'nginx';

export interface Balancer {
  kind: BalancerKind;
  /** Each frontend by the backends it spreads over: `bases[k]` balances over the first k+1 of them. */
  bases: string[];
  /** Its processes (nginx: the master and its workers), for the CPU it spends. */
  pids(): number[];
  stop(): Promise<void>;
}

const BINARIES: Record<BalancerKind, string[]> = {
  haproxy: ['/usr/sbin/haproxy', 'haproxy'],
  nginx: ['/usr/sbin/nginx', 'nginx'],
};

function binary(kind: BalancerKind): string {
  return BINARIES[kind].find((p) => !p.startsWith('/') || existsSync(p))!;
}

/**
 * Starts `kind` on 127.0.0.1 with a config of its own in a temp directory: frontend k (port
 * `firstPort + k`) round-robins over the first k+1 of `backendPorts`, with keep-alive to the
 * backends, so one instance behind the balancer and all of them are measured through the same
 * process. One worker (thread): on this 2-core machine a second would only take CPU from the APIs.
 */
export async function startBalancer(kind: BalancerKind, backendPorts: number[], firstPort: number): Promise<Balancer> {
  const dir = mkdtempSync(path.join(tmpdir(), `jizan-${kind}-`));
  const frontends = backendPorts.map((_, k) => ({ port: firstPort + k, backends: backendPorts.slice(0, k + 1) }));
  const config =
    kind === 'haproxy'
      ? [
          'global',
          '  maxconn 4096',
          '  nbthread 1',
          'defaults',
          '  mode http',
          '  timeout connect 5s',
          '  timeout client 60s',
          '  timeout server 60s',
          '  option http-keep-alive',
          '  http-reuse always',
          ...frontends.flatMap((f, k) => [
            `frontend f${k}`,
            `  bind 127.0.0.1:${f.port}`,
            `  default_backend b${k}`,
            `backend b${k}`,
            '  balance roundrobin',
            ...f.backends.map((p, j) => `  server api${j} 127.0.0.1:${p}`),
          ]),
        ].join('\n')
      : [
          'worker_processes 1;',
          `pid ${dir}/nginx.pid;`,
          `error_log ${dir}/error.log warn;`,
          'events { worker_connections 8192; }',
          'http {',
          '  access_log off;',
          ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/${t};`),
          ...frontends.flatMap((f, k) => [
            `  upstream b${k} { ${f.backends.map((p) => `server 127.0.0.1:${p};`).join(' ')} keepalive 128; }`,
            `  server { listen 127.0.0.1:${f.port}; location / { proxy_pass http://b${k}; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host $host; proxy_set_header X-Forwarded-For $remote_addr; } }`,
          ]),
          '}',
        ].join('\n');
  const file = path.join(dir, `${kind}.cfg`);
  writeFileSync(file, `${config}\n`);
  const args = kind === 'haproxy' ? ['-db', '-f', file] : ['-p', dir, '-c', file, '-g', 'daemon off;'];
  const child = spawn(binary(kind), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (b: Buffer) => {
    errors = (errors + b.toString()).slice(-4000);
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const bases = frontends.map((f) => `http://127.0.0.1:${f.port}`);
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${kind} exited with ${child.exitCode}: ${errors}`);
    try {
      const answers = await Promise.all(bases.map((b) => fetch(`${b}/healthz`)));
      if (answers.every((a) => a.status === 200)) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${kind} did not pass /healthz through within 10 s: ${errors}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { kind, bases, pids: () => [child.pid!, ...descendants(child.pid!)], stop };
}

/** Every process below `pid` (children, theirs, …), from /proc. */
export function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(d)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of parents.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** `--pin LOAD:SERVER`, two CPU lists as taskset takes them (`0:1`, or `1:0` for the opposite). */
export interface Pinning {
  load: string;
  server: string;
}

export function parsePin(value: string | undefined): Pinning | null {
  if (!value) return null;
  const m = /^([\d,-]+):([\d,-]+)$/.exec(value);
  if (!m) throw new Error(`--pin takes LOAD:SERVER CPU lists (say 0:1), got "${value}"`);
  return { load: m[1]!, server: m[2]! };
}

/** The CPU list a process may run on now (taskset -p -c). */
export function affinity(pid: number): string {
  const out = spawnSync('taskset', ['-p', '-c', String(pid)], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`taskset -p ${pid}: ${out.stderr}`);
  return out.stdout.trim().split(': ').pop()!;
}

/** Every thread of `pid` (and of its descendants with `withChildren`) onto `cpus`. */
export function pin(pid: number, cpus: string, withChildren = true): void {
  for (const p of [pid, ...(withChildren ? descendants(pid) : [])]) {
    const out = spawnSync('taskset', ['-a', '-p', '-c', cpus, String(p)], { encoding: 'utf8' });
    // A child that ended between the listing and here is not an error.
    if (out.status !== 0 && existsSync(`/proc/${p}`)) throw new Error(`taskset -a -p -c ${cpus} ${p}: ${out.stderr}`);
  }
}

/**
 * Pins PostgreSQL to `cpus` for the duration of a run: the postmaster (found as the parent of this
 * connection's backend) and every process it has, so new backends (forked by the postmaster)
 * inherit it. `restore` puts all of them back on the CPUs the postmaster had. Needs the right to
 * change another user's affinity (root, or CAP_SYS_NICE); other sessions' backends are pinned
 * too while it lasts.
 */
export async function pinPostgres(adminUrl: string, cpus: string): Promise<{ postmaster: number; before: string; restore(): void }> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  let postmaster: number;
  try {
    // Read while the backend is alive: it ends with the connection.
    const backend = Number((await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid);
    postmaster = Number(readFileSync(`/proc/${backend}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
  } finally {
    await client.end();
  }
  const before = affinity(postmaster);
  pin(postmaster, cpus);
  return { postmaster, before, restore: () => pin(postmaster, before) };
}

/** Busy and total time of each core so far (ms, the cpuN lines of /proc/stat). */
export function coreCpu(): { busyMs: number; totalMs: number }[] {
  return readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .filter((l) => /^cpu\d+ /.test(l))
    .map((l) => {
      const f = l.trim().split(/\s+/).slice(1, 9).map(Number);
      const totalMs = f.reduce((a, b) => a + b, 0) * 10;
      return { busyMs: totalMs - (f[3]! + f[4]!) * 10, totalMs };
    });
}

/** Each core's busy share between two readings of `coreCpu`, as "cpu0 45%, cpu1 99%". */
export function coresBusy(before: ReturnType<typeof coreCpu>, after: ReturnType<typeof coreCpu>): number[] {
  return after.map((a, i) => (a.busyMs - before[i]!.busyMs) / Math.max(1, a.totalMs - before[i]!.totalMs));
}
