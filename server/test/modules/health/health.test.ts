import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { openDatabase, type Database } from '../../../src/db/client.js';
import { errorCode, REAL_PG_URL, testApp, testConfig } from '../../helper.js';

const ctx = testApp();
const SHORT = { DATABASE_CONNECT_TIMEOUT_MS: '600', DATABASE_STATEMENT_TIMEOUT_MS: '600' };
const shortTimeouts = { connectMs: 600, statementMs: 600, idleInTransactionMs: 5000 };

/** A loopback server that accepts connections and never says a word: a PostgreSQL that hung. */
async function blackHole(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A loopback proxy to a real PostgreSQL that can be frozen: bytes stop flowing both ways on
 * connections already open, as when the server is stopped with SIGSTOP or the network drops.
 */
async function freezableProxy(target: URL) {
  let frozen = false;
  const held: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
    }
    client.on('data', (d) => (frozen ? held.push(d) : upstream.write(d)));
    upstream.on('data', (d) => (frozen ? held.push(d) : client.write(d)));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    freeze: () => (frozen = true),
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = performance.now();
  const value = await work();
  return { value, ms: performance.now() - t };
}

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
});

async function appOn(database: Database): Promise<FastifyInstance> {
  const app = await buildApp({ config: testConfig(SHORT), database, logger: false });
  closers.push(() => database.close(), () => app.close());
  await app.ready();
  return app;
}

describe('liveness and readiness', () => {
  it('says the process is alive and ready when its database answers', async () => {
    const live = await ctx.app.inject({ method: 'GET', url: '/healthz' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ ok: true, database: ctx.database.kind });
    const ready = await ctx.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ ok: true, database: ctx.database.kind });
  });
});

describe('a database that accepts connections and never answers', () => {
  it('answers requests 503 SERVICE_UNAVAILABLE with Retry-After within the connect timeout, while /healthz stays up', async () => {
    const hole = await blackHole();
    closers.push(hole.close);
    const database = await openDatabase({
      databaseUrl: `postgres://postgres@127.0.0.1:${hole.port}/jizan`,
      dataDir: '',
      poolSize: 4,
      databaseTimeouts: shortTimeouts,
    });
    const app = await appOn(database);

    const live = await timed(() => app.inject({ method: 'GET', url: '/healthz' }));
    expect(live.value.statusCode).toBe(200);
    expect(live.ms).toBeLessThan(500);

    const ready = await timed(() => app.inject({ method: 'GET', url: '/readyz' }));
    expect(ready.value.statusCode).toBe(503);
    expect(errorCode(ready.value)).toBe('SERVICE_UNAVAILABLE');
    expect(ready.value.headers['retry-after']).toBe('1');
    expect(ready.ms).toBeLessThan(2000);

    // More callers than the pool has connections: the ones queued for a connection time out too.
    const logins = await timed(() =>
      Promise.all(Array.from({ length: 10 }, (_, i) => app.inject({ method: 'POST', url: '/v1/auth/login', payload: { code: `dev:hole${i}` } }))),
    );
    for (const res of logins.value) {
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String) } });
      expect(res.headers['retry-after']).toBe('1');
    }
    expect(logins.ms).toBeLessThan(4000);
  });
});

describe.skipIf(!REAL_PG_URL)('a PostgreSQL that hangs under an open connection (real PostgreSQL)', () => {
  it('answers 503 once the client gives up on a server frozen under open connections', async () => {
    const target = new URL(ctx.database.url!);
    const proxy = await freezableProxy(target);
    closers.push(proxy.close);
    const url = new URL(target);
    url.host = `127.0.0.1:${proxy.port}`;
    const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '', poolSize: 4, databaseTimeouts: shortTimeouts });
    const app = await appOn(database);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);

    proxy.freeze();
    const ready = await timed(() => app.inject({ method: 'GET', url: '/readyz' }));
    expect(ready.value.statusCode).toBe(503);
    expect(ready.ms).toBeLessThan(2500);
    const login = await timed(() => app.inject({ method: 'POST', url: '/v1/auth/login', payload: { code: 'dev:frozen' } }));
    expect(login.value.statusCode).toBe(503);
    expect(errorCode(login.value)).toBe('SERVICE_UNAVAILABLE');
    expect(login.ms).toBeLessThan(2500);
  });

  it('cancels a statement stuck behind a lock at the statement timeout (57014) and answers 503', async () => {
    const database = await openDatabase({ databaseUrl: ctx.database.url, dataDir: '', poolSize: 4, databaseTimeouts: shortTimeouts });
    const app = await appOn(database);
    const locker = new pg.Client({ connectionString: ctx.database.url! });
    await locker.connect();
    closers.push(() => locker.end());
    await locker.query('begin');
    await locker.query('lock table users in access exclusive mode');
    try {
      const login = await timed(() => app.inject({ method: 'POST', url: '/v1/auth/login', payload: { code: 'dev:locked-out' } }));
      expect(login.value.statusCode).toBe(503);
      expect(errorCode(login.value)).toBe('SERVICE_UNAVAILABLE');
      expect(login.value.headers['retry-after']).toBe('1');
      expect(login.ms).toBeLessThan(2500);
    } finally {
      await locker.query('rollback');
    }
    const again = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { code: 'dev:locked-out' } });
    expect(again.statusCode).toBe(200);
  });
});
