import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, inject } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig, UNLIMITED_RATES, type Config } from '../src/config.js';
import { migrateDatabase, openDatabase, type Database } from '../src/db/client.js';
import { createScratchDatabase } from '../src/db/scratch.js';
import { fixedClock, type Clock } from '../src/lib/clock.js';
import type { CodeExchanger } from '../src/modules/auth/code-exchange.js';
import { createCampaign, type NewCampaignInput } from '../src/modules/campaigns/campaigns.service.js';

/**
 * With JIZAN_TEST_DATABASE_URL set (an admin URL on a real PostgreSQL), each test file gets a
 * brand-new database that is dropped afterwards; otherwise an in-memory PGlite.
 */
export const REAL_PG_URL = process.env.JIZAN_TEST_DATABASE_URL || null;

export interface TestDatabase extends Database {
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  // Copies of the database the global setup migrated once (without it, as under the fault tests'
  // config, each file migrates its own).
  if (!REAL_PG_URL) {
    const image = inject('pgliteImage');
    const database = await openDatabase({
      databaseUrl: null,
      dataDir: 'memory://',
      ...(image ? { pgliteImage: new Blob([readFileSync(image)]) } : {}),
    });
    await migrateDatabase(database);
    return { ...database, drop: () => database.close() };
  }
  const scratch = await createScratchDatabase(REAL_PG_URL, { prefix: 'jizan_test', template: inject('templateDatabase') });
  // Generous waits: stampedes queue hundreds of requests on a pool of 30 on a shared 2-core machine.
  const databaseTimeouts = { connectMs: 60_000, statementMs: 60_000, idleInTransactionMs: 60_000 };
  const database = await openDatabase({ databaseUrl: scratch.url, dataDir: '', poolSize: 30, databaseTimeouts });
  await migrateDatabase(database);
  return {
    ...database,
    drop: async () => {
      await database.close();
      await scratch.drop();
    },
  };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
    JIZAN_H5_DIR: 'none',
    JIZAN_DATA_DIR: '/tmp/jizan-test-unused',
    ...UNLIMITED_RATES,
    ...overrides,
  });
}

export const T0 = new Date('2026-11-11T04:00:00Z'); // noon in Shanghai on Double-11

export interface TestContext {
  app: FastifyInstance;
  database: TestDatabase;
  clock: ReturnType<typeof fixedClock>;
  close(): Promise<void>;
}

export async function setup(opts: { config?: Record<string, string>; exchanger?: CodeExchanger; clock?: Clock } = {}): Promise<TestContext> {
  const database = await createTestDatabase();
  const clock = fixedClock(T0);
  const app = await buildApp({
    config: testConfig(opts.config),
    database,
    clock: opts.clock ?? clock,
    logger: false,
    ...(opts.exchanger ? { exchanger: opts.exchanger } : {}),
  });
  await app.ready();
  return {
    app,
    database,
    clock,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

/**
 * One app and database for the whole test file (a fresh database per file keeps files apart);
 * the returned context fills in before the first test runs.
 */
export function testApp(opts: Parameters<typeof setup>[0] = {}): TestContext {
  const ctx = {} as TestContext;
  beforeAll(async () => {
    Object.assign(ctx, await setup(opts));
  });
  afterAll(async () => {
    await ctx.close?.();
  });
  return ctx;
}

let seq = 0;
/** A name unique within the run, so tests in one file never see each other's users or campaigns. */
export function unique(prefix: string): string {
  seq += 1;
  return `${prefix}${seq}${randomBytes(3).toString('hex')}`;
}

export async function campaign(ctx: TestContext, input: Partial<NewCampaignInput> = {}) {
  const now = ctx.clock.now();
  return createCampaign(
    { db: ctx.database.db },
    {
      slug: unique('c'),
      name: 'Test campaign',
      startsAt: new Date(now.getTime() - 24 * 3600_000),
      endsAt: new Date(now.getTime() + 7 * 24 * 3600_000),
      ...input,
    },
  );
}

/** A logged-in user, as the mini-program would be after `POST /v1/auth/login`. */
export interface Client {
  id: string;
  token: string;
  nickname: string;
  call(opts: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

export async function login(ctx: TestContext, name = unique('u')): Promise<Client> {
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { code: `dev:${name}` } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
  const body = res.json() as { token: string; user: { id: string; nickname: string } };
  const auth = { authorization: `Bearer ${body.token}` };
  const call: Client['call'] = (opts) => ctx.app.inject({ ...opts, headers: { ...auth, ...(opts.headers ?? {}) } });
  return {
    id: body.user.id,
    token: body.token,
    nickname: body.user.nickname,
    call,
    get: (url) => call({ method: 'GET', url }),
    post: (url, payload, headers) => call({ method: 'POST', url, ...(payload === undefined ? {} : { payload: payload as object }), ...(headers ? { headers } : {}) }),
  };
}

export async function createTeam(client: Client, campaignId: string, name = 'Team') {
  const res = await client.post(`/v1/campaigns/${campaignId}/teams`, { name });
  if (res.statusCode !== 201) throw new Error(`create team failed: ${res.body}`);
  return res.json() as { id: string; energy: number; members: { id: string; energy: number }[] };
}

export async function share(client: Client, campaignId: string, kind: 'like' | 'team' = 'like'): Promise<string> {
  const res = await client.post('/v1/shares', { campaignId, kind });
  if (res.statusCode !== 201) throw new Error(`share failed: ${res.body}`);
  return (res.json() as { token: string }).token;
}

export function errorCode(res: { json(): unknown }): string {
  return (res.json() as { error: { code: string } }).error.code;
}

/** Answers counted by outcome: `ok` for any 2xx, otherwise the error code. */
export function tally(results: { statusCode: number; json(): unknown }[]): Record<string, number> {
  const by: Record<string, number> = {};
  for (const r of results) {
    const key = r.statusCode < 300 ? 'ok' : errorCode(r);
    by[key] = (by[key] ?? 0) + 1;
  }
  return by;
}
