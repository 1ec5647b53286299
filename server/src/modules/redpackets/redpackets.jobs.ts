import type { Job } from '../../jobs/runner.js';
import { campaignsDueForSettlement, deliverRedPackets, settleCampaign, type SettleDeps } from './settlement.service.js';

/** Null where no payout provider is configured (production, until a real one exists): nothing is settled or paid then. */
export interface RedPacketJobDeps {
  redPackets: SettleDeps | null;
}

/**
 * Settles every ended campaign whose pool is still unsplit. Safe in every instance at once: the
 * split is written under the budget row's lock, so a second runner waits, finds the settlement and
 * writes nothing; each red packet is then paid under its own row lock (SKIP LOCKED). One campaign
 * that fails (say, rules an operator broke) does not hold the others back; the run still reports it.
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
  { name: 'redpackets-settlement', run: (deps, signal) => (deps.redPackets ? settleDue(deps.redPackets, signal) : Promise.resolve(0)) },
  {
    // Tier claims made while the campaign is live, and any pool share a settlement run left pending.
    name: 'redpackets-delivery',
    run: async (deps) => (deps.redPackets ? (await deliverRedPackets(deps.redPackets)).attempted : 0),
  },
];
