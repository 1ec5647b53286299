import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../src/config.js';
import { refreshRollups } from '../../../src/modules/insights/insights.service.js';
import { campaign, createTeam, login, share, testApp, unique } from '../../helper.js';

/**
 * `pnpm admin …` as an operator runs it, against this server over HTTP. World: A's card opened and
 * liked by B and by F1–F4 (four accounts on one phone), so A brought five people and the scan flags four.
 */
const run = promisify(execFile);
const ADMIN_KEY = 'cli-admin-key-0123456789abcdef';
const ctx = testApp({ config: { JIZAN_ADMIN_KEY: ADMIN_KEY } });
const slug = unique('cli');
let base = '';
let campaignId = '';
let outDir = '';

const admin = (...args: string[]) =>
  run(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/admin/cli.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, JIZAN_ADMIN_URL: base, JIZAN_ADMIN_KEY: ADMIN_KEY },
  });

beforeAll(async () => {
  const c = await campaign(ctx, { slug, name: 'CLI 活动' });
  campaignId = c.id;
  const a = await login(ctx, unique('a'));
  await createTeam(a, c.id, '星河');
  const card = await share(a, c.id);
  const phone = unique('phone');
  for (const device of [unique('b'), phone, phone, phone, phone]) {
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { code: `dev:${unique('f')}` }, headers: { 'x-device-id': device } });
    const auth = { authorization: `Bearer ${(res.json() as { token: string }).token}` };
    await ctx.app.inject({ method: 'GET', url: `/v1/shares/${card}`, headers: auth });
    expect((await ctx.app.inject({ method: 'POST', url: `/v1/shares/${card}/like`, headers: auth })).statusCode).toBe(200);
  }
  await ctx.app.deps.shareOpens.flush(); // opens are written in batches; the rollup reads the table
  await refreshRollups({ db: ctx.database.db, clock: ctx.clock }, c.id);
  await ctx.app.inject({ method: 'POST', url: '/admin/v1/fraud/scan', headers: { authorization: `Bearer ${ADMIN_KEY}` }, payload: { campaignId: c.id } });
  base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  outDir = mkdtempSync(path.join(tmpdir(), 'jizan-cli-'));
});

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('pnpm admin', () => {
  it('prints the campaigns and a campaign overview (named by slug) as tables', async () => {
    const campaigns = (await admin('campaigns')).stdout.split('\n');
    expect(campaigns[0]).toMatch(/^id\s+slug\s+name\s+state\s+startsAt\s+endsAt$/);
    expect(campaigns.find((l) => l.startsWith(campaignId))).toMatch(new RegExp(`${slug}\\s+CLI 活动\\s+live`));

    const overview = (await admin('overview', slug)).stdout;
    expect(overview).toMatch(/^likes\s+5$/m);
    expect(overview).toMatch(/^teams\s+1$/m);
    expect(overview).toMatch(/^ {2}budget left \(fen\)\s+0$/m);
  });

  it('prints the funnel, top inviters and the fraud queue', async () => {
    const funnel = (await admin('funnel', campaignId)).stdout;
    expect(funnel).toMatch(/^liked\s+5\s+100\.0%\s+100\.0%$/m);
    // Every open of this world came by card: the split puts all five openers there.
    expect(funnel).toMatch(/^card\s+5\s+5\s+5 \(100\.0%\)/m);
    expect(funnel).toMatch(/^poster\s+0\s+0\s+0 \(—\)/m);
    expect((await admin('inviters', slug)).stdout).toMatch(/^\s*1\s+[0-9a-f-]{36}\s+\S+\s+5$/m);
    const fraud = (await admin('fraud')).stdout.split('\n').filter((l) => l.includes('shared_device'));
    expect(fraud).toHaveLength(4);
    for (const line of fraud) expect(line).toMatch(/4 accounts on device phone/);
  });

  it('exports a list to a file with a progress line', async () => {
    const file = path.join(outDir, 'flags.csv');
    const { stderr } = await admin('export', 'fraud/flags?status=open', '--out', file);
    expect(stderr).toMatch(/4 rows, \d+ KiB, [\d.]+ s/);
    expect(stderr).toContain(`wrote ${file}`);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,kind,campaignId,userId,nickname,evidence,status,detectedAt,resolvedAt,resolvedBy');
    expect(lines).toHaveLength(5);
  });

  it('says what is wrong with a bad key or an unknown campaign, and exits non-zero', async () => {
    const refused = await run(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/admin/cli.ts', 'campaigns'], {
      cwd: REPO_ROOT,
      env: { ...process.env, JIZAN_ADMIN_URL: base, JIZAN_ADMIN_KEY: 'jzk_wrong_key_0123456789' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('401 UNAUTHENTICATED') });
    const unknown = await admin('overview', 'no-such-slug').catch((e: { code: number; stderr: string }) => e);
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('No campaign with id or slug "no-such-slug"') });
  });
});
