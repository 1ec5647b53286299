import type { AdminOrder, AdminRefund, AuditEntry } from '@jizan/shared';
import { eq } from 'drizzle-orm';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../src/config.js';
import { refundRequests } from '../../../src/db/schema/index.js';
import { expireDue } from '../../../src/modules/groupbuy/groupbuy.jobs.js';
import { login, testApp } from '../../helper.js';
import { deps, join, open, product, settleEarlierTests } from '../groupbuy/fixtures.js';

/**
 * `pnpm admin orders / refunds / retry-refund` as an operator runs them, over HTTP against this
 * server. World: a paid two-person group (A, B) and a lone opener C whose group expired, whose
 * refund the job gave up on.
 */
const run = promisify(execFile);
const ADMIN_KEY = 'cli-pay-admin-key-0123456789abcd';
const ctx = testApp({ config: { JIZAN_ADMIN_KEY: ADMIN_KEY } });
const HOUR = 3600_000;
let base = '';
let campaignId = '';
let users: { a: string; b: string; c: string };
let refundId = '';

const admin = (...args: string[]) =>
  run(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/admin/cli.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, JIZAN_ADMIN_URL: base, JIZAN_ADMIN_KEY: ADMIN_KEY },
  });
const api = (method: 'GET' | 'POST', url: string) => ctx.app.inject({ method, url: `/admin/v1${url}`, headers: { authorization: `Bearer ${ADMIN_KEY}` } });

beforeAll(async () => {
  await settleEarlierTests(ctx);
  const p = await product(ctx, { groupSize: 2 });
  campaignId = p.campaignId;
  const [a, b, c] = [await login(ctx), await login(ctx), await login(ctx)];
  users = { a: a.id, b: b.id, c: c.id };
  const g = await open(a, p.id);
  ctx.clock.advance(1000);
  await join(b, g.id);
  ctx.clock.advance(1000);
  await open(c, p.id);
  ctx.clock.advance(24 * HOUR);
  await expireDue(deps(ctx));
  const [order] = (await api('GET', `/orders?userId=${c.id}`)).json().items as AdminOrder[];
  // As the refund job leaves it after its last refused attempt.
  const [refund] = await ctx.database.db
    .update(refundRequests)
    .set({ status: 'stuck', attempts: 5, lastError: 'insufficient merchant balance' })
    .where(eq(refundRequests.orderId, order!.id))
    .returning({ id: refundRequests.id });
  refundId = refund!.id;
  base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
});

describe('pnpm admin, the group buy’s money', () => {
  it('counts the subscribe messages per template: the pair told of success, the lone opener of the failure', async () => {
    const lines = (await admin('messages')).stdout.split('\n');
    const counts = (key: string) => {
      const cells = lines.find((l) => l.startsWith(key + ' '))?.trim().split(/\s{2,}/) ?? [];
      const [sent, , , , inboxOnly, pending] = cells.slice(2).map(Number);
      return sent! + inboxOnly! + pending!;
    };
    expect(lines[0]).toMatch(/^key\s+templateId\s+sent\s+delivered\s+refused\s+failed\s+inboxOnly\s+pending/);
    expect(counts('group_succeeded')).toBe(2);
    expect(counts('group_failed')).toBe(1);
  });

  it('lists a campaign’s orders in yuan, filtered by status and by user', async () => {
    const all = (await admin('orders', campaignId)).stdout.split('\n');
    expect(all[0]).toMatch(/^id\s+status\s+yuan\s+paid\s+refunded\s+userId\s+groupId\s+createdAt$/);
    const rows = all.slice(2).filter(Boolean);
    expect(rows).toHaveLength(3);
    expect(rows.find((l) => l.includes(users.a))).toMatch(/\sgrouped\s+19\.90\s+19\.90\s+0\.00\s/);
    expect(rows.find((l) => l.includes(users.c))).toMatch(/\s19\.90\s+19\.90\s+0\.00\s/);

    const grouped = (await admin('orders', campaignId, '--status', 'grouped')).stdout;
    expect(grouped).toContain(users.a);
    expect(grouped).toContain(users.b);
    expect(grouped).not.toContain(users.c);

    const mine = (await admin('orders', '--user', users.b)).stdout.split('\n').slice(2).filter(Boolean);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toContain(users.b);

    const bad = await admin('orders', '--status', 'lost').catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('400 VALIDATION_FAILED') });
  });

  it('lists the stuck refund and retries it once, audited as the HTTP route is', async () => {
    const stuck = (await admin('refunds')).stdout;
    expect(stuck.split('\n').find((l) => l.startsWith(refundId))).toMatch(/19\.90\s+group_failed\s+5\s+insufficient merchant balance/);

    expect((await admin('retry-refund', refundId)).stdout).toContain(`Refund ${refundId} is pending again (0 attempts)`);
    expect((await api('GET', '/refunds?status=stuck')).json().items.map((r: AdminRefund) => r.id)).not.toContain(refundId);
    const again = await admin('retry-refund', refundId).catch((e: { code: number; stderr: string }) => e);
    expect(again).toMatchObject({ code: 2, stderr: expect.stringContaining('409 ORDER_STATE_INVALID') });

    const audit = (await api('GET', `/audit?targetType=refund&targetId=${refundId}`)).json().items as AuditEntry[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'refund.retry', before: { status: 'stuck' }, after: { status: 'pending', attempts: 0 } });
  });
});
