/**
 * Settles an ended campaign's prize pool and pays every red packet still waiting (pool shares and
 * tier claims) through the payout provider. Usage: pnpm settle --campaign <id|slug>
 *
 * Safe to run again at any time, after a crash or beside another run: the split is written once,
 * and each red packet is paid once. Exits 0 when everything is delivered, 3 when some red packets
 * are still pending or stuck (listed by state), 1 on a refusal such as a campaign still running.
 * Uses DATABASE_URL, or the PGlite folder (JIZAN_DATA_DIR), which only one process may open: stop
 * `pnpm start` first there.
 */
import { parseArgs } from 'node:util';
import { systemClock } from '@jizan/server/clock';
import { loadConfig } from '@jizan/server/config';
import { migrateDatabase, openDatabase } from '@jizan/server/db';
import { findCampaignId, settleCampaign } from '@jizan/server/redpackets';

const { values } = parseArgs({ options: { campaign: { type: 'string' } } });
if (!values.campaign) {
  console.error('Usage: pnpm settle --campaign <id|slug>');
  process.exit(2);
}

const yuan = (fen: number) => `${(fen / 100).toFixed(2)} 元`;

const config = loadConfig();
const database = await openDatabase(config);
let exitCode = 0;
try {
  await migrateDatabase(database);
  const campaignId = await findCampaignId(database.db, values.campaign);
  const report = await settleCampaign(
    { db: database.db, clock: systemClock, ...config.redPackets },
    campaignId,
  );
  const split =
    report.teams > 0
      ? `${yuan(report.paid)} split among ${report.teams} team(s)`
      : 'no team qualified, so it stays in the budget';
  console.log(
    `${report.planned ? 'Settled' : 'Already settled'} campaign ${report.campaignId} at ${report.settledAt}: ` +
      `pool ${yuan(report.pool)} (the rules say ${yuan(report.poolRule)}), ${split}.`,
  );
  const { delivery } = report;
  console.log('Pool shares wait the review hold, then the transfer job pays them (pnpm jobs, or the server).');
  console.log(`Red packets of the campaign: ${delivery.delivered} delivered, ${delivery.pending} pending, ${delivery.failed} stuck.`);
  if (delivery.pending > 0 || delivery.failed > 0) exitCode = 3;
} catch (err) {
  const e = err as Error & { code?: string };
  console.error(e.code ? `${e.code}: ${e.message}` : e);
  exitCode = 1;
} finally {
  await database.close();
}
process.exit(exitCode);
