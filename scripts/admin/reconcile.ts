/**
 * `pnpm reconcile --date YYYY-MM-DD`: one Beijing day of our WeChat Pay payments and refunds
 * against the platform's trade bill of that day (/v3/bill/tradebill, downloaded and checked
 * against its SHA1). Lists every difference and exits 1 when there is one; 2 when it cannot run.
 * Needs JIZAN_PAYMENT_PROVIDER=wechatpay and WECHATPAY_* (the platform, or the simulator run on
 * its own port: `tsx server/src/sim/wechatpay/main.ts`, whose merchant.env holds them).
 */
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '@jizan/server/config';
import { openDatabase } from '@jizan/server/db';
import { wechatPayClient } from '@jizan/server/groupbuy-deps';
import { reconcileDay } from '@jizan/server/reconciliation';

const { values } = parseArgs({ options: { date: { type: 'string' } } });
const day = values.date ?? '';
if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
  console.error('usage: pnpm reconcile --date YYYY-MM-DD   (a Beijing day, as the trade bill counts them)');
  process.exit(2);
}
const config = loadConfigOrExit();
if (config.payment.provider !== 'wechatpay') {
  console.error(
    `Reconciliation compares with WeChat Pay's trade bill: set JIZAN_PAYMENT_PROVIDER=wechatpay and WECHATPAY_* (this server's provider is "${config.payment.provider}").`,
  );
  process.exit(2);
}
const client = wechatPayClient(config.payment.wechatpay);
let rows: Awaited<ReturnType<typeof client.fetchTradeBill>>['rows'];
try {
  rows = (await client.fetchTradeBill(day)).rows;
} catch (e) {
  // A day without any trade has no bill: the platform says so with NO_STATEMENT_EXIST.
  if ((e as { code?: string }).code !== 'NO_STATEMENT_EXIST') {
    console.error(`Could not fetch the trade bill of ${day}: ${(e as Error).message}`);
    process.exit(2);
  }
  rows = [];
}
const database = await openDatabase(config);
const found = await reconcileDay(database, day, rows);
await database.close();
if (found.length === 0) {
  console.log(`${day}: our payments and refunds agree with the trade bill (${rows.length} bill line(s)).`);
  process.exit(0);
}
console.error(`${day}: ${found.length} difference(s) with the trade bill:`);
for (const f of found) {
  console.error(`  ${f.kind} ${f.reference}${f.outTradeNo ? ` (out_trade_no ${f.outTradeNo})` : ''}: ours ${f.ours ?? '—'} fen, platform ${f.platform ?? '—'} fen`);
}
process.exit(1);
