/**
 * Checks that every kept balance (participant and team energy) equals its ledger sum.
 * Exits 1 and lists the drift when they disagree. Uses DATABASE_URL or the PGlite folder.
 */
import { loadConfig } from '@jizan/server/config';
import { openDatabase } from '@jizan/server/db';
import { findDrift } from '@jizan/server/ledger';

const config = loadConfig();
const database = await openDatabase(config);
const drift = await findDrift(database.db);
await database.close();
if (drift.length === 0) {
  console.log('Ledger and balances agree.');
} else {
  console.error(`${drift.length} balance(s) disagree with the ledger:`);
  for (const d of drift.slice(0, 50)) console.error(`  ${d.kind} ${d.id} (campaign ${d.campaignId}): balance ${d.balance}, ledger ${d.ledger}`);
  process.exit(1);
}
