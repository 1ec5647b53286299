import type { Job } from '../../jobs/runner.js';
import { campaignsDueForSettlement, settleCampaign, type SettleDeps } from './settlement.service.js';
import { runTransfers, type TransferDeps } from './transfers.service.js';

export interface RedPacketJobDeps {
  redPackets: SettleDeps;
  /** The review hold and the merchant transfers (payouts null: nothing is paid, claims are refused). */
  transfers: TransferDeps;
}

/**
 * Settles every ended campaign whose pool is still unsplit. Safe in every instance at once: the
 * split is written under the budget row's lock, so a second runner waits, finds the settlement and
 * writes nothing. Its pool shares are then held and paid by the transfer job like tier claims.
 */
export async function settleDue(deps: SettleDeps, signal: AbortSignal): Promise<number> {
  let planned = 0;
  const failures: unknown[] = [];
  for (const campaignId of await campaignsDueForSettlement(deps)) {
    if (signal.aborted) break;
    try {
      if ((await settleCampaign(deps, campaignId)).planned) planned++;
    } catch (err) {
      failures.push(err);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} campaign(s) could not be settled`);
  return planned;
}

export const redPacketJobs: readonly Job<RedPacketJobDeps>[] = [
  { name: 'redpackets-settlement', run: (deps, signal) => settleDue(deps.redPackets, signal) },
  {
    // Held rewards reviewed, cleared ones transferred, open transfers queried, unconfirmed ones cancelled and offered again.
    name: 'redpackets-transfers',
    run: async (deps) => {
      const r = await runTransfers(deps.transfers);
      return r.reviewed + r.started + r.polled;
    },
  },
];
