import { and, asc, eq, sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';
import { products } from '../../db/schema/index.js';

// The catalogue (products and their stock) and the module's books. Groups and seats, orders,
// payments, refunds and notifications each have their own repository beside this one.

export type ProductRow = typeof products.$inferSelect;
export type NewProduct = typeof products.$inferInsert;

// ---- Products ----

export async function insertProduct(ex: Executor, values: NewProduct): Promise<ProductRow> {
  const [row] = await ex.insert(products).values(values).returning();
  return row!;
}

export async function findProduct(ex: Executor, id: string): Promise<ProductRow | undefined> {
  const [row] = await ex.select().from(products).where(eq(products.id, id));
  return row;
}

export async function listProducts(ex: Executor, campaignId: string): Promise<ProductRow[]> {
  return ex.select().from(products).where(eq(products.campaignId, campaignId)).orderBy(asc(products.createdAt), asc(products.id));
}

/**
 * Reserves one unit. The row lock this UPDATE takes serialises every placement of the product
 * until commit, and the WHERE is re-checked after the lock, so stock never goes below zero.
 */
export async function reserveStock(ex: Executor, productId: string): Promise<ProductRow | undefined> {
  const [row] = await ex
    .update(products)
    .set({ stock: sql`${products.stock} - 1` })
    .where(and(eq(products.id, productId), sql`${products.stock} >= 1`))
    .returning();
  return row;
}

export async function releaseStock(ex: Executor, productId: string, units: number): Promise<void> {
  if (units <= 0) return;
  await ex.update(products).set({ stock: sql`${products.stock} + ${units}` }).where(eq(products.id, productId));
}

export async function updateProduct(ex: Executor, id: string, patch: Partial<NewProduct>): Promise<ProductRow | undefined> {
  const [row] = await ex.update(products).set(patch).where(eq(products.id, id)).returning();
  return row;
}

/**
 * Moves stock by `delta` in one guarded statement: a removal larger than what is left matches no
 * row instead of going negative, even while placements take units at the same moment.
 */
export async function adjustStock(ex: Executor, id: string, delta: number): Promise<ProductRow | undefined> {
  const [row] = await ex
    .update(products)
    .set({ stock: sql`${products.stock} + ${delta}` })
    .where(and(eq(products.id, id), sql`${products.stock} + ${delta} >= 0`))
    .returning();
  return row;
}

// ---- Books ----

export interface GroupBuyDrift {
  kind: 'order_paid' | 'order_refunded' | 'group_seats';
  id: string;
  kept: number;
  actual: number;
}

/**
 * Every kept total that differs from the rows it sums: an order's paid and refunded amounts
 * against its payments and refunds, and a group's seat count against its seats. Empty when the books agree.
 */
export async function findDrift(ex: Executor, opts: { campaignId?: string } = {}): Promise<GroupBuyDrift[]> {
  // One campaign's orders and groups (the operators' ledger audit), or all of them (pnpm verify-ledger).
  const orderIn = opts.campaignId ? sql`and o.campaign_id = ${opts.campaignId}` : sql``;
  const groupIn = opts.campaignId ? sql`and g.campaign_id = ${opts.campaignId}` : sql``;
  const found = await rows<{ kind: GroupBuyDrift['kind']; id: string; kept: number; actual: number }>(
    ex,
    sql`
      select 'order_paid' as kind, o.id::text as id, o.paid_amount as kept, coalesce(p.total, 0) as actual
      from orders o left join lateral (select sum(amount) as total from payments where order_id = o.id) p on true
      where o.paid_amount <> coalesce(p.total, 0) ${orderIn}
      union all
      select 'order_refunded', o.id::text, o.refunded_amount, coalesce(r.total, 0)
      from orders o left join lateral (select sum(amount) as total from refunds where order_id = o.id) r on true
      where o.refunded_amount <> coalesce(r.total, 0) ${orderIn}
      union all
      select 'group_seats', g.id::text, g.seats_taken, coalesce(m.n, 0)
      from group_buys g
      left join lateral (select count(*) as n from group_buy_members where group_id = g.id and released_at is null) m on true
      where g.seats_taken <> coalesce(m.n, 0) ${groupIn}`,
  );
  return found.map((r) => ({ kind: r.kind, id: r.id, kept: Number(r.kept), actual: Number(r.actual) }));
}
