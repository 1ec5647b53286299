import type { Health } from '@jizan/shared';
import type { Db } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import * as repo from './health.repository.js';

export interface HealthDeps {
  db: Db;
  databaseKind: Health['database'];
  /** How long readiness waits for the database before saying "not ready". */
  readyTimeoutMs: number;
}

/** Liveness: the process answers. It never touches the database, so a slow database does not get instances restarted. */
export function liveness(deps: Pick<HealthDeps, 'databaseKind'>): Health {
  return { ok: true, database: deps.databaseKind };
}

/**
 * Readiness: a load balancer sends traffic only while this instance can reach its database.
 * The timer bounds the answer even when the driver's own timeouts are longer (or, on a frozen
 * server, the connect itself hangs).
 */
export async function readiness(deps: HealthDeps): Promise<Health> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(notReady()), deps.readyTimeoutMs);
  });
  try {
    await Promise.race([repo.ping(deps.db), timeout]);
  } catch {
    throw notReady();
  } finally {
    clearTimeout(timer);
  }
  return { ok: true, database: deps.databaseKind };
}

const notReady = () => new AppError('SERVICE_UNAVAILABLE', 'The database is not answering; this instance is not ready');
