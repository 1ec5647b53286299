import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WECHATPAY_NOTIFY_PATH } from '@jizan/shared';
import { systemClock } from '../../src/lib/clock.js';
import { openDatabase, rows, type Database } from '../../src/db/client.js';
import { createScratchDatabase } from '../../src/db/scratch.js';
import { createCampaign } from '../../src/modules/campaigns/campaigns.service.js';
import { createProduct } from '../../src/modules/groupbuy/groupbuy.service.js';
import { refundAfterSale } from '../../src/modules/groupbuy/refunds.service.js';
import { platformNo } from '../../src/modules/groupbuy/wechatpay-provider.js';
import { findDrift } from '../../src/modules/ledger/ledger.service.js';
import { verifyRedPackets } from '../../src/modules/redpackets/redpackets.service.js';
import { loadOrCreateSimKeys, merchantEnv } from '../../src/sim/wechatpay/keys.js';
import { startWechatPaySimulator, type WechatPaySimulator } from '../../src/sim/wechatpay/simulator.js';
import { SimTransfers } from '../../src/sim/wechatpay/transfers.js';
import { call, cannotRun, freePort, sleep, startCluster, startServer, type Cluster, type ServerProcess } from './harness.js';

/**
 * The server SIGKILLed between the platform's accept and our commit, for each way money moves:
 * a payment (the buyer paid, the notification found nobody), a prepay (the platform made the
 * order, our answer never came back), a refund and a merchant transfer (the platform took the
 * request, the server died waiting for its answer). The server runs as `pnpm start` would with
 * JIZAN_PAYMENT_PROVIDER=wechatpay against the v3 simulator on a port of its own, jobs in process,
 * on a throwaway PostgreSQL cluster. After the restart every outcome is found under the same
 * platform number, and happens once: on the platform and in our ledgers.
 */
const DAY = 24 * 3600_000;
const skip = cannotRun();
let cluster: Cluster;
let sim: WechatPaySimulator;
let keysDir: string;

beforeAll(async () => {
  if (skip) return;
  cluster = await startCluster();
  keysDir = mkdtempSync(path.join(os.tmpdir(), 'jizan-faults-wechatpay-'));
  sim = await startWechatPaySimulator({ keys: loadOrCreateSimKeys(keysDir) });
  SimTransfers.of(sim);
}, 60_000);

afterAll(async () => {
  await sim?.close();
  cluster?.stop();
  if (keysDir) rmSync(keysDir, { recursive: true, force: true });
});

/** Polls `probe` until it returns a value (not undefined/false), or fails after `ms`. */
async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

describe.skipIf(skip)(`money and SIGKILL on WeChat Pay v3 (${skip ?? 'throwaway PostgreSQL cluster, simulator on its own port'})`, () => {
  let server: ServerProcess;
  let database: Database;
  let port: number;
  let databaseUrl: string;
  let campaignId: string;
  let productId: string;

  const boot = async () => {
    const env = merchantEnv(sim.keys, { dir: keysDir, apiBase: sim.url, notifyUrl: `http://127.0.0.1:${port}${WECHATPAY_NOTIFY_PATH}` });
    server = await startServer({
      port,
      databaseUrl,
      env: { ...env, JIZAN_PAYMENT_PROVIDER: 'wechatpay', JIZAN_JOBS_IN_PROCESS: 'on', JIZAN_JOBS_INTERVAL_MS: '300', JIZAN_REWARD_HOLD_MINUTES: '0', JIZAN_REFUND_RETRY_SECONDS: '1' },
    });
  };
  const kill = async () => {
    server.child.kill('SIGKILL');
    await server.exited;
  };
  const login = async (who: string) => {
    const res = await call(server.baseUrl, 'POST', '/v1/auth/login', { body: { code: `dev:money-kill-${who}` } });
    const body = res.body as { token: string; user: { id: string } };
    return { id: body.user.id, token: body.token };
  };
  const orderOf = async (orderId: string) =>
    (await rows<{ status: string; paid_amount: number; refunded_amount: number }>(database.db, sql`select status, paid_amount, refunded_amount from orders where id = ${orderId}`))[0];
  const paymentsOf = async (orderId: string) => (await rows<{ n: number }>(database.db, sql`select count(*)::int as n from payments where order_id = ${orderId}`))[0]!.n;

  beforeAll(async () => {
    port = await freePort();
    ({ url: databaseUrl } = await createScratchDatabase(cluster.url(), { name: 'jizan_faults_money', replace: true }));
    await boot();
    database = await openDatabase({ databaseUrl, dataDir: '', poolSize: 2 });
    const now = Date.now();
    const campaign = await createCampaign(
      { db: database.db },
      {
        slug: 'money-kill',
        name: 'Money under SIGKILL',
        startsAt: new Date(now - DAY),
        endsAt: new Date(now + DAY),
        rules: { likeEnergy: 1, firstLikeMultiplier: 1, redPacketTiers: [{ energy: 1, amount: 188 }], redPacketBudget: 10_000 },
      },
    );
    campaignId = campaign.id;
    productId = (await createProduct({ db: database.db }, { campaignId, title: '保温杯', price: 9900, groupPrice: 5900, groupSize: 2, stock: 10 })).id;
  }, 60_000);

  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await database?.close();
  });

  it('a prepay the platform made and a payment it took while the server was dead are each found once after the restart', async () => {
    const opener = await login('opener');
    const joiner = await login('joiner');
    const opened = await call(server.baseUrl, 'POST', '/v1/groups', { token: opener.token, key: 'open-1', body: { productId } });
    expect(opened.status).toBe(201);
    const group = opened.body as { id: string; myOrder: { id: string; payment: { params: Record<string, string> } } };
    const openerOrder = group.myOrder.id;

    // The opener pays in the pay sheet while the server is dead: the notification finds nobody.
    await kill();
    const paid = await sim.requestPayment(group.myOrder.payment.params as never);
    expect(paid.errMsg).toBe('requestPayment:ok');
    expect(paid.delivery?.acknowledged).toBe(false);
    await boot();
    // The payment query job asks under the same out_trade_no and applies the payment once.
    await until('the opener\'s order to be paid', async () => (await orderOf(openerOrder))?.status === 'paid' || undefined, 90_000);
    // The platform's next notification round changes nothing.
    await sim.notifier.redeliver();
    expect(paid.delivery?.acknowledged).toBe(true);
    expect(await paymentsOf(openerOrder)).toBe(1);

    // The joiner's prepay: the platform makes the order, then the server is killed waiting for the answer.
    sim.faults.push({ method: 'POST', path: '/v3/pay/transactions/jsapi', kind: 'timeout', applied: true });
    const before = sim.ledger.transactions.size;
    const joining = call(server.baseUrl, 'POST', `/v1/groups/${group.id}/join`, { token: joiner.token, key: 'join-1' });
    let answered: unknown = null;
    void joining.then((a) => (answered = a));
    await until('the platform to make the joiner\'s order', () => {
      if (answered) throw new Error(`the join was answered: ${JSON.stringify(answered)}`);
      return sim.ledger.transactions.size > before;
    });
    await kill();
    expect((await joining).status).toBe(0);
    await boot();

    // The joiner retries under the same key and gets the pay sheet of the order the platform already has.
    const retried = await call(server.baseUrl, 'POST', `/v1/groups/${group.id}/join`, { token: joiner.token, key: 'join-1' });
    expect(retried.status, JSON.stringify(retried.body)).toBeLessThan(300);
    const joinerOrder = (retried.body as { myOrder: { id: string; payment: { params: { package: string } } } }).myOrder;
    const platformOrder = sim.ledger.transactions.get(platformNo(joinerOrder.id))!;
    expect(joinerOrder.payment.params.package).toBe(`prepay_id=${platformOrder.prepayId}`);
    expect((await sim.requestPayment(joinerOrder.payment.params as never)).errMsg).toBe('requestPayment:ok');
    await until('the group to fill', async () => (await orderOf(joinerOrder.id))?.status === 'grouped' || undefined);
    expect(await orderOf(openerOrder)).toMatchObject({ status: 'grouped', paid_amount: 5900 });
    expect([...sim.ledger.transactions.values()].filter((t) => t.state === 'SUCCESS')).toHaveLength(2);
    expect(await findDrift(database.db)).toEqual([]);
  }, 180_000);

  it('a refund the platform accepted while the server died is asked for again under the same out_refund_no and paid back once', async () => {
    const [order] = await rows<{ id: string }>(database.db, sql`select id from orders where status = 'grouped' order by created_at limit 1`);
    sim.faults.push({ method: 'POST', path: '/v3/refund/domestic/refunds', kind: 'timeout', applied: true });
    const refundsBefore = sim.ledger.refunds.size;
    // An after-sale refund: recorded here, asked for on the platform by the server's refund job.
    await refundAfterSale({ db: database.db, clock: systemClock } as Parameters<typeof refundAfterSale>[0], order!.id);
    await until('the platform to accept the refund', () => sim.ledger.refunds.size > refundsBefore);
    await kill();
    const seen = sim.requests.length;
    await boot();
    const refund = [...sim.ledger.refunds.values()].at(-1)!;
    // The job asks about it again under the same number; the platform answers the refund it already has.
    await until('the refund to be asked about again', () =>
      sim.requests.slice(seen).some((r) => r.path.startsWith('/v3/refund/domestic/refunds') && r.status === 200),
    );
    await sim.settleRefund(refund.outRefundNo, 'SUCCESS');
    await until('the order to be refunded', async () => (await orderOf(order!.id))?.status === 'refunded' || undefined);
    expect(sim.ledger.refunds.size).toBe(refundsBefore + 1);
    expect(await orderOf(order!.id)).toMatchObject({ refunded_amount: 5900 });
    expect(await findDrift(database.db)).toEqual([]);
  }, 120_000);

  it('a merchant transfer the platform took while the server died is not paid twice: found under its out_bill_no, confirmed once', async () => {
    const transfers = SimTransfers.of(sim);
    const sharer = await login('sharer');
    const friend = await login('friend');
    const card = await call(server.baseUrl, 'POST', '/v1/shares', { token: sharer.token, body: { campaignId, kind: 'like' } });
    expect((await call(server.baseUrl, 'POST', `/v1/shares/${(card.body as { token: string }).token}/like`, { token: friend.token, key: 'like-1' })).status).toBe(200);

    sim.faults.push({ method: 'POST', path: '/v3/fund-app/mch-transfer/transfer-bills', kind: 'timeout', applied: true });
    const claim = await call(server.baseUrl, 'POST', '/v1/redpackets/claim', { token: sharer.token, key: 'claim-1', body: { campaignId, tier: 1 } });
    expect(claim.status).toBe(201);
    const packetId = (claim.body as { redPacket: { id: string } }).redPacket.id;
    // No hold here: the transfer job starts the transfer at once and hangs on the platform's answer.
    await until('the platform to make the bill', () => transfers.bills.size > 0);
    await kill();
    await boot();

    const mine = async () =>
      ((await call(server.baseUrl, 'GET', '/v1/me/redpackets', { token: sharer.token })).body as { redPackets: { id: string; delivery: string }[] }).redPackets.find((p) => p.id === packetId)!;
    await until('the transfer to wait for 确认收款', async () => (await mine()).delivery === 'wait_user_confirm' || undefined);
    expect(transfers.bills.size).toBe(1);
    const confirm = await call(server.baseUrl, 'POST', `/v1/redpackets/${packetId}/confirm`, { token: sharer.token });
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
    // The standalone simulator's 确认收款 sheet, reached through the server as the H5 preview does.
    const sheet = await call(server.baseUrl, 'POST', '/v1/redpackets/simulator/confirm', { token: sharer.token, body: confirm.body });
    expect(sheet.status, JSON.stringify(sheet.body)).toBe(200);
    await until('the red packet to arrive', async () => (await mine()).delivery === 'success' || undefined);
    expect([...transfers.bills.values()].map((b) => b.state)).toEqual(['SUCCESS']);
    expect(await verifyRedPackets(database.db, { campaignId })).toEqual([]);
  }, 120_000);
});
