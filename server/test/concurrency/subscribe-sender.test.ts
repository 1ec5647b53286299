import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rows, type Database } from '../../src/db/client.js';
import { dbTokenStore, WechatClient } from '../../src/lib/wechat/index.js';
import { grantCredit } from '../../src/modules/notifications/credits.repository.js';
import { writeMessages } from '../../src/modules/notifications/notifications.service.js';
import { sendDue, wechatSubscribeSend, type SenderDeps } from '../../src/modules/notifications/sender.service.js';
import { subscribeState } from '../../src/sim/wechat/subscribe.js';
import { login, REAL_PG_URL, testApp, testConfig, unique } from '../helper.js';

/**
 * Two instances' sender jobs on one PostgreSQL database, each with its own pool and its own
 * platform client (sharing the token through the database, as instances without Redis do),
 * running at the same moment over the same outbox.
 */
const ctx = testApp();
let second: Database;

beforeAll(async () => {
  if (!REAL_PG_URL) return;
  second = await openDatabase({ databaseUrl: ctx.database.url, dataDir: '', poolSize: 10, databaseTimeouts: { connectMs: 60_000, statementMs: 60_000, idleInTransactionMs: 60_000 } });
});
afterAll(async () => {
  await second?.close();
});

const config = testConfig();

function instance(db: Database['db']): SenderDeps {
  const sim = ctx.app.wechat!.sim!;
  const client = new WechatClient({ ...sim.clientSettings(), store: dbTokenStore(db), clock: ctx.clock });
  return { db, clock: ctx.clock, subscribe: config.subscribe, send: wechatSubscribeSend(client) };
}

describe.skipIf(!REAL_PG_URL)('two instances’ sender jobs (real PostgreSQL)', () => {
  it('send each message once and spend each credit once, a user’s last credit included', async () => {
    const db = ctx.database.db;
    const users = await Promise.all(Array.from({ length: 40 }, () => login(ctx)));
    const now = ctx.clock.now();
    // Each user: 2 credits and 3 messages, so two of each user's three sends race for the last credit.
    for (const u of users) {
      await grantCredit(db, u.id, 'campaign_again', now);
      await grantCredit(db, u.id, 'campaign_again', now);
    }
    const events = users.flatMap((u) =>
      [0, 1, 2].map((i) => ({ userId: u.id, kind: 'campaign_again' as const, dedupeKey: unique(`race${i}`), facts: { campaign: '集赞', startsAt: '2026-12-12 00:00', endsAt: '2026-12-13 00:00' } })),
    );
    await db.transaction((tx) => writeMessages(events, now, tx));

    const [a, b] = [instance(db), instance(second.db)];
    const runs = await Promise.all([sendDue(a, { batch: 3 }), sendDue(b, { batch: 3 }), sendDue(a, { batch: 5 }), sendDue(b, { batch: 5 })]);
    expect(runs.reduce((x, y) => x + y, 0)).toBe(120);

    const ids = sql.join(users.map((u) => sql`${u.id}::uuid`), sql`, `);
    const states = await rows<{ delivery: string; n: number }>(
      db,
      sql`select delivery, count(*)::int as n from notifications where user_id in (${ids}) group by delivery order by delivery`,
    );
    expect(states).toEqual([
      { delivery: 'inbox', n: 40 },
      { delivery: 'sent', n: 80 },
    ]);
    const openids = await rows<{ openid: string }>(db, sql`select openid from users where id in (${ids})`);
    const mine = new Set(openids.map((o) => o.openid));
    const sent = subscribeState(ctx.app.wechat!.sim!).sent.filter((m) => mine.has(m.touser));
    expect(sent).toHaveLength(80);
    const perUser = new Map<string, number>();
    for (const m of sent) perUser.set(m.touser, (perUser.get(m.touser) ?? 0) + 1);
    expect([...perUser.values()].every((n) => n === 2)).toBe(true);
    const credits = await rows<{ credits: number }>(db, sql`select credits from subscribe_credits where user_id in (${ids})`);
    expect(credits.every((c) => c.credits === 0)).toBe(true);
  });
});
