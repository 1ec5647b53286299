import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `server/src/server.ts` as its own process on 127.0.0.1, answered /healthz before it is handed
 * back: what the browser tests, the screenshot walk and the HTTP benches each start.
 */

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  base: string;
  pid: number;
  /** The last 20,000 characters it printed (empty when its output was not kept). */
  log: () => string;
  /** SIGTERM, then SIGKILL if it has not exited 5 s later. */
  stop: () => Promise<void>;
}

export async function startServerProcess(opts: {
  port: number;
  /** On top of this process's environment (HOST and PORT are set here). */
  env: Record<string, string>;
  nodeArgs?: string[];
  /** Another checkout to run it from (a before/after pair on one database). */
  root?: string;
  /** Keep its output for `log` (the tests print it on failure), or let its errors through (the benches). */
  output: 'keep' | 'errors';
  /** A loaded 2-core machine boots PGlite, migrates and seeds slowly. */
  healthTimeoutMs?: number;
}): Promise<ServerProcess> {
  const base = `http://127.0.0.1:${opts.port}`;
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', 'server/src/server.ts'], {
    cwd: opts.root ?? REPO_ROOT,
    env: { ...process.env, ...opts.env, HOST: '127.0.0.1', PORT: String(opts.port) },
    stdio: opts.output === 'keep' ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'ignore', 'inherit'],
  });
  let output = '';
  const collect = (b: Buffer) => {
    output = (output + b.toString()).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const timeoutMs = opts.healthTimeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${base}/healthz`)).status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer /healthz within ${timeoutMs / 1000} s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { base, pid: child.pid!, log: () => output, stop };
}
