/**
 * Checks that every kept balance (participant and team energy) equals its ledger sum, and that
 * the group buy's kept totals (orders' paid and refunded money, groups' seats) equal their rows.
 * Exits 1 and lists the drift when they disagree. Uses DATABASE_URL or the PGlite folder.
 */
import { loadConfig } from '@jizan/server/config';
import { openDatabase } from '@jizan/server/db';
import { findGroupBuyDrift } from '@jizan/server/groupbuy';
import { findDrift } from '@jizan/server/ledger';

const config = loadConfig();
const database = await openDatabase(config);
const [drift, groupBuyDrift] = await Promise.all([findDrift(database.db), findGroupBuyDrift(database.db)]);
await database.close();
if (drift.length === 0 && groupBuyDrift.length === 0) {
  console.log('Ledger and balances agree; group-buy orders and seats agree with their rows.');
} else {
  if (drift.length > 0) console.error(`${drift.length} balance(s) disagree with the ledger:`);
  for (const d of drift.slice(0, 50)) console.error(`  ${d.kind} ${d.id} (campaign ${d.campaignId}): balance ${d.balance}, ledger ${d.ledger}`);
  if (groupBuyDrift.length > 0) console.error(`${groupBuyDrift.length} group-buy total(s) disagree with their rows:`);
  for (const d of groupBuyDrift.slice(0, 50)) console.error(`  ${d.kind} ${d.id}: kept ${d.kept}, rows ${d.actual}`);
  process.exit(1);
}
