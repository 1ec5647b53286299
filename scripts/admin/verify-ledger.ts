/**
 * Checks the books: every kept energy balance (participant and team) equals its ledger sum, and the
 * leaderboards' energy histogram counts exactly the balances at each energy; the
 * group buy's kept totals (orders' paid and refunded money, groups' seats) equal their rows; and
 * every campaign's red-packet money adds up (paid = tier claims + pool payouts ≤ budget, remaining =
 * budget − paid, each settlement's red packets sum to what it paid, nobody paid twice).
 * Exits 1 and lists what disagrees. Uses DATABASE_URL or the PGlite folder.
 */
import { loadConfig } from '@jizan/server/config';
import { openDatabase } from '@jizan/server/db';
import { findGroupBuyDrift } from '@jizan/server/groupbuy';
import { findHistogramDrift } from '@jizan/server/leaderboard';
import { findDrift } from '@jizan/server/ledger';
import { verifyRedPackets } from '@jizan/server/redpackets';

const config = loadConfig();
const database = await openDatabase(config);
const [drift, histogramDrift, groupBuyDrift, money] = await Promise.all([
  findDrift(database.db),
  findHistogramDrift(database.db),
  findGroupBuyDrift(database.db),
  verifyRedPackets(database.db),
]);
await database.close();

if (drift.length === 0) {
  console.log('Energy: ledger and balances agree.');
} else {
  console.error(`Energy: ${drift.length} balance(s) disagree with the ledger:`);
  for (const d of drift.slice(0, 50)) console.error(`  ${d.kind} ${d.id} (campaign ${d.campaignId}): balance ${d.balance}, ledger ${d.ledger}`);
}
if (histogramDrift.length === 0) {
  console.log('Leaderboards: the energy histogram counts the balances exactly.');
} else {
  console.error(`Leaderboards: ${histogramDrift.length} energy value(s) where the histogram disagrees with the balances:`);
  for (const h of histogramDrift.slice(0, 50)) {
    const where = h.kind === 'bucket' ? `energies ${h.energy}–${h.energy + 1023}` : `energy ${h.energy}`;
    console.error(`  ${h.board} board of campaign ${h.campaignId}, ${where}: histogram ${h.histogram}, balances ${h.balances}`);
  }
}
if (groupBuyDrift.length === 0) {
  console.log('Group buys: orders\' money and groups\' seats agree with their rows.');
} else {
  console.error(`Group buys: ${groupBuyDrift.length} total(s) disagree with their rows:`);
  for (const d of groupBuyDrift.slice(0, 50)) console.error(`  ${d.kind} ${d.id}: kept ${d.kept}, rows ${d.actual}`);
}
if (money.length === 0) {
  console.log('Red packets: every campaign paid claims + pool payouts within its budget, and the budgets agree.');
} else {
  console.error(`Red packets: ${money.length} problem(s):`);
  for (const m of money.slice(0, 50)) console.error(`  campaign ${m.campaignId}: ${m.problem}`);
}
if (drift.length > 0 || histogramDrift.length > 0 || groupBuyDrift.length > 0 || money.length > 0) process.exit(1);
