import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';
import { adminAudit, operators } from '../../db/schema/index.js';

export type OperatorRow = typeof operators.$inferSelect;
export type AuditRow = typeof adminAudit.$inferSelect;

/** The live (not revoked) operator holding this key hash. */
export async function findOperatorByKeyHash(ex: Executor, keyHash: string): Promise<OperatorRow | undefined> {
  const [row] = await ex.select().from(operators).where(and(eq(operators.keyHash, keyHash), isNull(operators.revokedAt)));
  return row;
}

/** Null when the name is taken (unique index), so two creations at once cannot both succeed. */
export async function insertOperator(
  ex: Executor,
  v: { name: string; scopes: ('read' | 'write')[]; keyPrefix: string; keyHash: string; at: Date },
): Promise<OperatorRow | null> {
  const [row] = await ex
    .insert(operators)
    .values({ name: v.name, scopes: v.scopes, keyPrefix: v.keyPrefix, keyHash: v.keyHash, createdAt: v.at })
    .onConflictDoNothing({ target: operators.name })
    .returning();
  return row ?? null;
}

/**
 * Creates or re-keys the named operator in one statement: two instances seeding at once both
 * land on the same row, and a changed dev secret moves the key with it.
 */
export async function upsertOperator(
  ex: Executor,
  v: { name: string; scopes: ('read' | 'write')[]; keyPrefix: string; keyHash: string; at: Date },
): Promise<OperatorRow> {
  const [row] = await ex
    .insert(operators)
    .values({ name: v.name, scopes: v.scopes, keyPrefix: v.keyPrefix, keyHash: v.keyHash, createdAt: v.at })
    .onConflictDoUpdate({
      target: operators.name,
      set: { keyPrefix: sql`excluded.key_prefix`, keyHash: sql`excluded.key_hash`, scopes: sql`excluded.scopes`, revokedAt: null },
    })
    .returning();
  return row!;
}

export async function insertAudit(
  ex: Executor,
  v: { operatorId: string | null; operatorName: string; action: string; targetType: string; targetId: string; before: unknown; after: unknown; at: Date },
): Promise<void> {
  await ex.insert(adminAudit).values({
    operatorId: v.operatorId,
    operatorName: v.operatorName,
    action: v.action,
    targetType: v.targetType,
    targetId: v.targetId,
    before: v.before ?? null,
    after: v.after ?? null,
    createdAt: v.at,
  });
}

/** Newest first, keyset-paged on id. */
export async function listAudit(
  ex: Executor,
  q: { targetType?: string; targetId?: string; beforeId: number | null; limit: number },
): Promise<AuditRow[]> {
  const where = [
    q.targetType ? eq(adminAudit.targetType, q.targetType) : undefined,
    q.targetId ? eq(adminAudit.targetId, q.targetId) : undefined,
    q.beforeId !== null ? lt(adminAudit.id, q.beforeId) : undefined,
  ];
  return ex.select().from(adminAudit).where(and(...where)).orderBy(desc(adminAudit.id)).limit(q.limit);
}

// ---- Campaigns (read here; written through the campaigns service) ----------------------------

export type CampaignLifecycleFilter = 'draft' | 'scheduled' | 'live' | 'ended' | 'settled';

export interface AdminCampaignRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  rules: unknown;
  publishedAt: Date | null;
  createdAt: Date;
  settled: boolean;
}

const settledSql = sql`exists (select 1 from red_packet_settlements s where s.campaign_id = c.id)`;

function stateWhere(state: CampaignLifecycleFilter, now: Date) {
  const published = sql`c.published_at is not null and not ${settledSql}`;
  switch (state) {
    case 'draft':
      return sql`c.published_at is null`;
    case 'settled':
      return sql`c.published_at is not null and ${settledSql}`;
    case 'scheduled':
      return sql`${published} and c.starts_at > ${now}`;
    case 'live':
      return sql`${published} and c.starts_at <= ${now} and c.ends_at > ${now}`;
    case 'ended':
      return sql`${published} and c.ends_at <= ${now}`;
  }
}

function campaignRowOf(r: Record<string, unknown>): AdminCampaignRow {
  const at = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));
  return {
    id: String(r.id),
    slug: String(r.slug),
    name: String(r.name),
    description: String(r.description),
    startsAt: at(r.starts_at),
    endsAt: at(r.ends_at),
    timeZone: String(r.time_zone),
    rules: r.rules,
    publishedAt: r.published_at === null ? null : at(r.published_at),
    createdAt: at(r.created_at),
    settled: Boolean(r.settled),
  };
}

/** Every campaign, newest first, keyset-paged on (created_at, id). */
export async function listCampaigns(
  ex: Executor,
  q: { state?: CampaignLifecycleFilter; now: Date; after: { createdAt: string; id: string } | null; limit: number },
): Promise<AdminCampaignRow[]> {
  const where = [sql`true`];
  if (q.state) where.push(stateWhere(q.state, q.now));
  if (q.after) where.push(sql`(c.created_at, c.id) < (${q.after.createdAt}::timestamptz, ${q.after.id}::uuid)`);
  const found = await rows<Record<string, unknown>>(
    ex,
    sql`select c.*, ${settledSql} as settled from campaigns c where ${sql.join(where, sql` and `)}
        order by c.created_at desc, c.id desc limit ${q.limit}`,
  );
  return found.map(campaignRowOf);
}

/** `lock` holds the campaign row until the transaction ends, so two lifecycle moves at once run one after the other. */
export async function findCampaign(ex: Executor, id: string, lock = false): Promise<AdminCampaignRow | undefined> {
  const [row] = await rows<Record<string, unknown>>(
    ex,
    sql`select c.*, ${settledSql} as settled from campaigns c where c.id = ${id} ${lock ? sql`for update of c` : sql``}`,
  );
  return row && campaignRowOf(row);
}
