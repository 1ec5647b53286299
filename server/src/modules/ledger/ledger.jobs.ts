import type { Db } from '../../db/client.js';
import type { Job } from '../../jobs/runner.js';
import { foldLedgerSums } from './ledger.service.js';

/**
 * Keeps `ledger_sums` (the ledger summed per user and team, from the rows alone) a few seconds
 * behind the ledger, for the operators' ledger audit. It folds new rows on every tick, so it
 * reports 0: a log line every few seconds would drown the log (a failed run is still logged).
 */
export const ledgerJobs: readonly Job<{ ledger: { db: Db } }>[] = [
  {
    name: 'ledger-sums',
    run: async (deps) => {
      await foldLedgerSums(deps.ledger);
      return 0;
    },
  },
];
