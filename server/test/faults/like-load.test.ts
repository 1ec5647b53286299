import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rows, type Database } from '../../src/db/client.js';
import { createScratchDatabase } from '../../src/db/scratch.js';
import { createCampaign } from '../../src/modules/campaigns/campaigns.service.js';
import { findDrift } from '../../src/modules/ledger/ledger.service.js';
import { call, callUntilAnswered, cannotRun, freePort, sleep, startCluster, startServer, type Answer, type Cluster, type ServerProcess } from './harness.js';

/**
 * Faults in the middle of a like load, on a throwaway PostgreSQL cluster: the database
 * crash-restarted under a running server, and the server killed with SIGKILL and started again.
 * Clients retry under their Idempotency-Key until answered; afterwards every sharer's energy
 * equals the likes they were answered 200 for, the like rows agree, and no balance drifts.
 */
const SHARERS = 8;
const LIKERS = 40;
const CONCURRENCY = 16;
const DAY = 24 * 3600_000;

const skip = cannotRun();
let cluster: Cluster;

beforeAll(async () => {
  if (!skip) cluster = await startCluster();
}, 60_000);

afterAll(() => cluster?.stop());

interface Scene {
  server: ServerProcess;
  database: Database;
  campaignId: string;
  sharers: { id: string; token: string; card: string }[];
  likers: { id: string; token: string }[];
}

async function scene(name: string, port: number): Promise<Scene> {
  // The cluster is thrown away with every database on it, so none is dropped.
  const { url } = await createScratchDatabase(cluster.url(), { name, replace: true });
  const server = await startServer({ port, databaseUrl: url });
  const database = await openDatabase({ databaseUrl: url, dataDir: '', poolSize: 4 });
  const now = Date.now();
  const campaign = await createCampaign(
    { db: database.db },
    {
      slug: name,
      name: 'Fault campaign',
      startsAt: new Date(now - DAY),
      endsAt: new Date(now + DAY),
      rules: { likeEnergy: 1, firstLikeMultiplier: 1, dailyLikeCap: SHARERS },
    },
  );
  const login = async (who: string) => {
    const res = await call(server.baseUrl, 'POST', '/v1/auth/login', { body: { code: `dev:${name}-${who}` } });
    const body = res.body as { token: string; user: { id: string } };
    return { id: body.user.id, token: body.token };
  };
  const sharers = await Promise.all(
    Array.from({ length: SHARERS }, async (_, k) => {
      const user = await login(`sharer${k}`);
      const res = await call(server.baseUrl, 'POST', '/v1/shares', { token: user.token, body: { campaignId: campaign.id, kind: 'like' } });
      return { ...user, card: (res.body as { token: string }).token };
    }),
  );
  const likers = await Promise.all(Array.from({ length: LIKERS }, (_, l) => login(`liker${l}`)));
  return { server, database, campaignId: campaign.id, sharers, likers };
}

/**
 * Every liker likes every sharer once, CONCURRENCY at a time, each with its own key and retried
 * until answered. `fault` runs once a third of the likes were answered and calls `down()` once the
 * database or server is gone; the last third waits for that, so part of the load always meets
 * the outage however fast the likes are (a fast path once finished before a restart began).
 */
async function likeLoad(s: Scene, baseUrl: () => string, fault: (down: () => void) => Promise<void>) {
  const pairs = s.likers.flatMap((liker, l) => s.sharers.map((sharer, k) => ({ liker, sharer, key: `like-${l}-${k}` })));
  pairs.sort(() => Math.random() - 0.5);
  const answers = new Map<string, Answer & { sharerId: string }>();
  const deadline = Date.now() + 45_000;
  let retries = 0;
  let faulted: Promise<void> | null = null;
  let down!: () => void;
  const wentDown = new Promise<void>((resolve) => (down = resolve));
  let next = 0;
  const worker = async () => {
    while (next < pairs.length) {
      if (next >= (pairs.length * 2) / 3) await wentDown;
      if (next >= pairs.length) break;
      const { liker, sharer, key } = pairs[next++]!;
      const answer = await callUntilAnswered(baseUrl, 'POST', `/v1/shares/${sharer.card}/like`, {
        token: liker.token,
        key,
        deadline,
        onRetry: () => retries++,
      });
      answers.set(key, { ...answer, sharerId: sharer.id });
      if (!faulted && answers.size >= pairs.length / 3) faulted = fault(down);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await faulted;
  return { pairs, answers: [...answers.values()], retries };
}

async function expectExact(s: Scene, answers: (Answer & { sharerId: string })[], baseUrl: string) {
  const accepted = new Map<string, number>();
  for (const a of answers) if (a.status === 200) accepted.set(a.sharerId, (accepted.get(a.sharerId) ?? 0) + 1);
  const byStatus: Record<number, number> = {};
  for (const a of answers) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
  // Every like was distinct and inside every cap, so each one ends accepted, once.
  expect(byStatus).toEqual({ 200: SHARERS * LIKERS });

  const likeRows = await rows<{ sharer_id: string; n: number }>(
    s.database.db,
    sql`select sharer_id, count(*)::int as n from likes where campaign_id = ${s.campaignId} group by sharer_id`,
  );
  for (const sharer of s.sharers) {
    const me = await call(baseUrl, 'GET', `/v1/campaigns/${s.campaignId}`, { token: sharer.token });
    expect(me.status).toBe(200);
    const energy = (me.body as { me: { energy: number } }).me.energy;
    expect(energy).toBe(accepted.get(sharer.id));
    expect(likeRows.find((r) => r.sharer_id === sharer.id)?.n).toBe(accepted.get(sharer.id));
  }
  expect(await findDrift(s.database.db)).toEqual([]);
}

describe.skipIf(skip)(`faults under a like load (${skip ?? 'throwaway PostgreSQL cluster'})`, () => {
  it('PostgreSQL crash-restarted mid-load: the server recovers by itself and retried likes count exactly once', async () => {
    const s = await scene('jizan_faults_restart', await freePort());
    try {
      const started = Date.now();
      const { answers, retries } = await likeLoad(
        s,
        () => s.server.baseUrl,
        async (down) => {
          await cluster.crash();
          down();
          await sleep(1_000);
          await cluster.start();
        },
      );
      // The restart was felt (503s or cut connections, then retried) and the same process recovered.
      expect(retries).toBeGreaterThan(0);
      expect(s.server.child.exitCode).toBeNull();
      expect((await call(s.server.baseUrl, 'GET', '/readyz')).status).toBe(200);
      await expectExact(s, answers, s.server.baseUrl);
      console.log(`database restart: ${answers.length} likes, ${retries} retries, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      s.server.child.kill('SIGKILL');
      await s.database.close();
    }
  }, 90_000);

  it('the server killed with SIGKILL mid-load and started again: retried likes count exactly once', async () => {
    const port = await freePort();
    const s = await scene('jizan_faults_kill', port);
    let server = s.server;
    try {
      const started = Date.now();
      const { answers, retries } = await likeLoad(
        s,
        () => server.baseUrl,
        async (down) => {
          server.child.kill('SIGKILL');
          await server.exited;
          down();
          server = await startServer({ port, databaseUrl: cluster.url('jizan_faults_kill') });
        },
      );
      expect(retries).toBeGreaterThan(0);
      await expectExact(s, answers, server.baseUrl);
      console.log(`server SIGKILL: ${answers.length} likes, ${retries} retries, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      server.child.kill('SIGKILL');
      await s.database.close();
    }
  }, 90_000);
});
