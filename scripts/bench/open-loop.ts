/**
 * An open-loop load at a fixed offered rate, with coordinated omission corrected.
 *
 * A closed loop (autocannon, N connections each waiting for its answer) measures throughput; its
 * p99 is about connections ÷ throughput, and when the server stalls the loop simply stops asking,
 * so the stall never shows in the latencies. Here request i is due at start + i/rate whatever the
 * server does, and its latency runs from that scheduled time to the end of its answer: a request
 * that waited for a free connection, or for this process to get round to sending it, counts that
 * wait (as wrk2 does). The time from getting a connection to the answer is kept too ("service"),
 * which is what a closed-loop tool would have reported.
 *
 * node:http with a keep-alive agent of `connections` sockets; no dependency beyond Node.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

export interface OpenLoopRequest {
  method: 'GET' | 'POST';
  path: string;
  token?: string;
}

export interface OpenLoopResult {
  offeredPerSecond: number;
  /** Answers over the time from the first scheduled send to the last answer. */
  achievedPerSecond: number;
  scheduled: number;
  answered: number;
  non2xx: number;
  errors: number;
  /** Still unanswered when the grace period after the schedule ran out (counted in the latencies at the wait they had). */
  unanswered: number;
  /** From each request's scheduled send time (coordinated omission corrected), ms. */
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** From getting a connection to the answer (what a closed loop reports), ms. */
  serviceP99Ms: number;
  /** How late this process itself issued requests against their schedule (its own CPU), ms. */
  generatorLagP99Ms: number;
  /** False when the server (or the generator) fell behind the schedule: see `keptUp`. */
  keptUp: boolean;
}

/** One request on a socket of its own, kept open by the agent afterwards. */
function preconnect(agent: http.Agent, url: URL): Promise<void> {
  return new Promise<void>((resolve) => {
    http
      .get({ agent, host: url.hostname, port: url.port, path: '/healthz' }, (res) => {
        res.on('end', () => resolve());
        res.resume();
      })
      .on('error', () => resolve());
  });
}

/** The q-quantile of sorted values (nearest rank). */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * Offers `rate` requests a second for `seconds` to `base` (http://host:port), `next(i)` giving the i-th.
 * After the schedule ends it waits up to `graceSeconds` for the answers still out.
 */
export async function openLoop(
  base: string,
  opts: {
    rate: number;
    seconds: number;
    connections: number;
    next: (i: number) => OpenLoopRequest;
    graceSeconds?: number;
    /** A CSV of every request (when it was due, its latency and service time, ms) to find when a tail happened. */
    timeline?: string;
  },
): Promise<OpenLoopResult> {
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections, maxFreeSockets: opts.connections });
  const total = Math.max(1, Math.round(opts.rate * opts.seconds));
  const interval = 1000 / opts.rate;
  const fromSchedule = new Float64Array(total).fill(Number.NaN);
  const service = new Float64Array(total).fill(Number.NaN);
  const lag = new Float64Array(total);
  let answered = 0;
  let non2xx = 0;
  let errors = 0;
  let lastAnswer = 0;
  let outstanding = 0;
  let allAnswered: (() => void) | null = null;

  const settle = (i: number, due: number, connected: number, ok: boolean, status: number) => {
    const end = performance.now();
    fromSchedule[i] = end - due;
    service[i] = end - connected;
    lastAnswer = end;
    answered++;
    if (!ok) errors++;
    else if (status < 200 || status >= 300) non2xx++;
    if (--outstanding === 0) allAnswered?.();
  };

  const fire = (i: number, due: number) => {
    lag[i] = performance.now() - due;
    const r = opts.next(i);
    outstanding++;
    let connected = due;
    let done = false;
    const finish = (ok: boolean, status: number) => {
      if (done) return;
      done = true;
      settle(i, due, connected, ok, status);
    };
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: r.method,
        path: r.path,
        headers: r.token ? { authorization: `Bearer ${r.token}` } : {},
      },
      (res) => {
        res.on('end', () => finish(true, res.statusCode ?? 0));
        res.on('error', () => finish(false, 0));
        res.resume();
      },
    );
    // The agent hands the request a socket when one is free: from here on it is the server's time.
    req.on('socket', () => {
      connected = performance.now();
    });
    req.on('error', () => finish(false, 0));
    req.end();
  };

  // The sockets are open before the schedule starts, as a balancer in front keeps its connections
  // to the API: a storm's users are new, its sockets are not. Opening 64 of them inside the
  // measured first 100 ms was most of that run's p99 (a 123 ms spike against 40 ms after it).
  await Promise.all(Array.from({ length: opts.connections }, () => preconnect(agent, url)));
  const start = performance.now();
  await new Promise<void>((resolve) => {
    let i = 0;
    const tick = () => {
      const now = performance.now();
      // Everything due by now goes out, each stamped with its own due time.
      const due = Math.min(total, Math.floor((now - start) / interval) + 1);
      while (i < due) {
        fire(i, start + i * interval);
        i++;
      }
      if (i >= total) return resolve();
      // Sleep to the next due time rather than spin: a busy loop would take a core from the server.
      setTimeout(tick, Math.max(0, start + i * interval - performance.now()));
    };
    tick();
  });
  const graceMs = (opts.graceSeconds ?? 10) * 1000;
  if (outstanding > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, graceMs);
      allAnswered = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  // What is still out counts at the wait it has had so far: a lower bound, not a gap in the figures.
  const now = performance.now();
  let unanswered = 0;
  for (let i = 0; i < total; i++) {
    if (Number.isNaN(fromSchedule[i]!)) {
      fromSchedule[i] = now - (start + i * interval);
      unanswered++;
    }
  }
  agent.destroy();
  if (opts.timeline) {
    // Wall-clock times too, to line a stall up with the server's and PostgreSQL's logs.
    const epoch = performance.timeOrigin + start;
    const lines = ['due_ms,wall,latency_ms,service_ms,lag_ms'];
    for (let i = 0; i < total; i++) {
      const due = i * interval;
      lines.push(`${due.toFixed(1)},${new Date(epoch + due).toISOString()},${fromSchedule[i]!.toFixed(2)},${service[i]!.toFixed(2)},${lag[i]!.toFixed(2)}`);
    }
    writeFileSync(opts.timeline, `${lines.join('\n')}\n`);
  }

  const sorted = Float64Array.from(fromSchedule).sort();
  const serviceSorted = Float64Array.from(service.filter((v) => !Number.isNaN(v))).sort();
  const lagSorted = Float64Array.from(lag).sort();
  const achievedPerSecond = answered / (Math.max(lastAnswer, start + total * interval - interval) - start) * 1000;
  // Kept up: (nearly) the offered rate was answered, nothing was left out, and the schedule's end
  // was answered within a second (a server behind its load answers the last requests late).
  const keptUp = unanswered === 0 && achievedPerSecond >= 0.95 * opts.rate && lastAnswer - (start + total * interval) < 1000;
  return {
    offeredPerSecond: opts.rate,
    achievedPerSecond,
    scheduled: total,
    answered,
    non2xx,
    errors,
    unanswered,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    p999Ms: quantile(sorted, 0.999),
    maxMs: sorted[sorted.length - 1] ?? 0,
    serviceP99Ms: quantile(serviceSorted, 0.99),
    generatorLagP99Ms: quantile(lagSorted, 0.99),
    keptUp,
  };
}

/** `--timeline <dir>`: the option that writes one run's CSV into that folder, named after what was measured. */
export function timelineFor(dir: string | undefined, name: string): { timeline?: string } {
  if (!dir) return {};
  mkdirSync(dir, { recursive: true });
  return { timeline: path.join(dir, `${name}.csv`) };
}

/**
 * `--rate` values: numbers (requests a second an operator names) and `half` (half of the peak the
 * closed loop measured for the same request in the same run), comma-separated.
 */
export type RateSpec = { kind: 'half' } | { kind: 'fixed'; perSecond: number };

export function parseRates(value: string | undefined): RateSpec[] {
  if (!value) return [];
  return value.split(',').map((v) => {
    const s = v.trim();
    if (s === 'half') return { kind: 'half' } as const;
    const n = Number(s);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--rate takes "half" or a positive number of requests a second, got "${s}"`);
    return { kind: 'fixed', perSecond: n } as const;
  });
}

export function rateFor(spec: RateSpec, peakPerSecond: number): number {
  return spec.kind === 'half' ? Math.max(1, Math.round(peakPerSecond / 2)) : spec.perSecond;
}

export const rateLabel = (spec: RateSpec) => (spec.kind === 'half' ? 'half' : String(spec.perSecond));

/** The goal of issue #24 at half the peak: p99 under 50 ms (from the schedule). */
export const P99_GOAL_MS = 50;

/** What the JSON keeps of an open-loop run. */
export function openLoopRow(spec: RateSpec, r: OpenLoopResult) {
  return {
    rate: rateLabel(spec),
    offeredPerSec: Math.round(r.offeredPerSecond),
    achievedPerSec: Math.round(r.achievedPerSecond),
    keptUp: r.keptUp,
    p50Ms: Number(r.p50Ms.toFixed(1)),
    p99Ms: Number(r.p99Ms.toFixed(1)),
    p999Ms: Number(r.p999Ms.toFixed(1)),
    serviceP99Ms: Number(r.serviceP99Ms.toFixed(1)),
    failed: r.non2xx + r.errors + r.unanswered,
  };
}

/** One line per open-loop run: offered against achieved, the three percentiles, and PASS/MISS against the goal. */
export function openLoopLine(label: string, spec: RateSpec, r: OpenLoopResult): string {
  const pad = (n: number, d = 0) => n.toFixed(d).padStart(9);
  const verdict = r.p99Ms < P99_GOAL_MS ? 'PASS' : 'MISS';
  const notes = [
    r.keptUp ? '' : 'COULD NOT KEEP UP',
    r.non2xx + r.errors + r.unanswered > 0 ? `${r.non2xx + r.errors} failed, ${r.unanswered} unanswered` : '',
    r.generatorLagP99Ms > 5 ? `generator ${r.generatorLagP99Ms.toFixed(0)} ms late (p99)` : '',
  ].filter(Boolean);
  return (
    `${label.padEnd(40)}${`${rateLabel(spec)}=${Math.round(r.offeredPerSecond)}`.padStart(11)}${pad(r.achievedPerSecond)}${pad(r.p50Ms, 1)}${pad(r.p99Ms, 1)}${pad(r.p999Ms, 1)}${pad(r.serviceP99Ms, 1)}` +
    `  p99<${P99_GOAL_MS}: ${verdict}${spec.kind === 'half' ? '' : ' (goal is set at half the peak)'}${notes.length ? `  ${notes.join('; ')}` : ''}`
  );
}

export const OPEN_LOOP_HEADER = `${'open loop'.padEnd(40)}${'offered/s'.padStart(11)}${'achieved'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'p99.9 ms'.padStart(9)}${'svc p99'.padStart(9)}`;
export const OPEN_LOOP_NOTE =
  '(open loop: requests sent on a fixed schedule; p50/p99/p99.9 from each request\'s scheduled send time, coordinated omission corrected; svc p99: from getting a connection to the answer, what a closed loop would report)';
