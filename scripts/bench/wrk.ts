/**
 * The closed loop driven by wrk (Debian's `wrk`, C with LuaJIT) instead of autocannon: the same
 * requests in the same order over the same keep-alive connections, for a fraction of the CPU.
 *
 * Why: `bench:likes` compares the whole machine's CPU per like with pgbench's per transaction,
 * and pgbench's own client is C. autocannon spent 0.06–0.07 ms of CPU per like, about a sixth of
 * the machine's cost per like, charged to the like; wrk is the fairer counterpart of pgbench.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LoadResult } from './harness.js';

export const WRK = '/usr/bin/wrk';

export function wrkAvailable(): boolean {
  return existsSync(WRK);
}

/**
 * Sends the requests in order from one wrk thread and stops once that many answers came back. wrk
 * cannot leave a request out, so the few it asks for after the last one (at most one per
 * connection still waiting) are `/healthz`, and are not counted.
 */
const SCRIPT = `
local ffi = require('ffi')
ffi.cdef('typedef struct { long tv_sec; long tv_nsec; } jizan_timespec; int clock_gettime(int clk, jizan_timespec *tp);')
local ts = ffi.new('jizan_timespec')
local function now_us()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
end
local reqs, n, sent, answered, bad, started = {}, 0, 0, 0, 0, nil
local filler
init = function(args)
  for line in io.lines(args[1]) do
    local method, p, token = line:match('^(%S+) (%S+) ?(%S*)$')
    local headers = {}
    if token ~= '' then headers['Authorization'] = 'Bearer ' .. token end
    n = n + 1
    reqs[n] = wrk.format(method, p, headers)
  end
  filler = wrk.format('GET', '/healthz')
end
request = function()
  if not started then started = now_us() end
  sent = sent + 1
  if sent <= n then return reqs[sent] end
  return filler
end
response = function(status, headers, body)
  answered = answered + 1
  if answered <= n and (status < 200 or status > 299) then bad = bad + 1 end
  if answered == n then
    -- wrk's main thread sleeps out its whole duration: the bench ends it on this line (SIGINT).
    io.write(string.format('JIZAN answered=%d bad=%d us=%d\\n', n, bad, now_us() - started))
    io.flush()
    wrk.thread:stop()
  end
end
`;

export async function loadWithWrk(
  base: string,
  opts: { connections: number; amount: number; next: (i: number) => { method: 'GET' | 'POST'; path: string; token?: string } },
): Promise<LoadResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'jizan-wrk-'));
  const script = path.join(dir, 'requests.lua');
  const list = path.join(dir, 'requests.txt');
  writeFileSync(script, SCRIPT);
  const lines: string[] = [];
  for (let i = 0; i < opts.amount; i++) {
    const r = opts.next(i);
    lines.push(`${r.method} ${r.path}${r.token ? ` ${r.token}` : ''}`);
  }
  writeFileSync(list, `${lines.join('\n')}\n`);
  const child = spawn(WRK, ['-t', '1', '-c', String(opts.connections), '-d', '600s', '--timeout', '30s', '--latency', '-s', script, base, '--', list], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let ended = false;
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  child.stdout.on('data', (b: Buffer) => {
    stdout += b.toString();
    if (!ended && /JIZAN answered=/.test(stdout)) {
      ended = true;
      child.kill('SIGINT');
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  rmSync(dir, { recursive: true, force: true });
  const m = /JIZAN answered=(\d+) bad=(\d+) us=(\d+)/.exec(stdout);
  if (!m) throw new Error(`wrk failed (${code}): ${stderr || stdout}`);
  const [answered, bad, us] = m.slice(1).map(Number) as [number, number, number];
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout)?.slice(1).reduce((a, b) => a + Number(b), 0) ?? 0;
  const seconds = us / 1e6;
  return { perSecond: answered / seconds, seconds, p50Ms: percentileMs(stdout, '50%'), p99Ms: percentileMs(stdout, '99%'), non2xx: bad, errors };
}

/** A line of wrk's --latency distribution ("     99%   12.34ms"), in ms. */
function percentileMs(out: string, label: string): number {
  const m = new RegExp(`^\\s*${label}\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(out);
  if (!m) return Number.NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
}
