import type { AuditEntry, AuditQuery, OperatorScope } from '@jizan/shared';
import type { Db, Executor } from '../../db/client.js';
import * as repo from './operators.repository.js';

/** Who is acting on the admin API: an operator row, or the config's all-scopes key (no row, id null). */
export interface Actor {
  id: string | null;
  name: string;
  scopes: OperatorScope[];
}

export interface AuditInput {
  action: string;
  targetType: string;
  targetId: string;
  before: unknown;
  after: unknown;
}

/** Appends one audit row; call it inside the transaction that makes the change, so both or neither commit. */
export async function recordAudit(ex: Executor, actor: Actor, at: Date, entry: AuditInput): Promise<void> {
  await repo.insertAudit(ex, { operatorId: actor.id, operatorName: actor.name, ...entry, at });
}

export function toAuditEntry(row: repo.AuditRow): AuditEntry {
  return {
    id: row.id,
    operatorId: row.operatorId,
    operatorName: row.operatorName,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    before: row.before,
    after: row.after,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function auditPage(deps: { db: Db }, q: AuditQuery & { beforeId: number | null; limit: number }) {
  return repo.listAudit(deps.db, q);
}
