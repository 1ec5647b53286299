import { describe, expect, it } from 'vitest';
import { JOBS } from '../../src/jobs/registry.js';
import { runJob, startJobs, type Job, type JobLogger } from '../../src/jobs/runner.js';

function recorder() {
  const lines: { level: 'info' | 'error'; obj: Record<string, unknown>; msg?: string }[] = [];
  const log: JobLogger = {
    info: (obj, msg) => lines.push({ level: 'info', obj: obj as Record<string, unknown>, msg }),
    error: (obj, msg) => lines.push({ level: 'error', obj: obj as Record<string, unknown>, msg }),
  };
  return { lines, log };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('the job runner', () => {
  it('keeps a job going after a failed run and logs both', async () => {
    const { lines, log } = recorder();
    let runs = 0;
    const flaky: Job<null> = {
      name: 'flaky',
      run: async () => {
        runs += 1;
        if (runs === 1) throw new Error('database restarting');
        return 3;
      },
    };
    const runner = startJobs(null, [flaky], { intervalMs: 5, log });
    await until(() => runs >= 3);
    await runner.stop();
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(lines[0]).toMatchObject({ level: 'error', obj: { job: 'flaky' } });
    expect(lines.slice(1).every((l) => l.level === 'info' && l.obj.done === 3)).toBe(true);
  });

  it('waits for the run in progress when stopped, and starts no new one', async () => {
    const { log } = recorder();
    let finished = 0;
    let started = 0;
    const slow: Job<null> = {
      name: 'slow',
      run: async () => {
        started += 1;
        await new Promise((r) => setTimeout(r, 50));
        finished += 1;
        return 0;
      },
    };
    const runner = startJobs(null, [slow], { intervalMs: 1, log });
    await until(() => started === 1);
    await runner.stop();
    expect([started, finished]).toEqual([1, 1]);
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toBe(1);
  });

  it('reports a failed single run as null without throwing', async () => {
    const { lines, log } = recorder();
    const failing: Job<null> = { name: 'x', run: async () => Promise.reject(new Error('boom')) };
    expect(await runJob(null, failing, new AbortController().signal, log)).toBeNull();
    expect(lines).toHaveLength(1);
  });

  it('registers the group-buy expiry and refund jobs under distinct names', () => {
    const names = JOBS.map((j) => j.name);
    expect(names).toEqual(expect.arrayContaining(['groupbuy-expiry', 'groupbuy-refunds']));
    expect(new Set(names).size).toBe(names.length);
  });
});
