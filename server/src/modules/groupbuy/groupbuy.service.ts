import type { Product, ProductDetail, ProductListResponse } from '@jizan/shared';
import type { Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { iso } from '../../lib/time.js';
import { requireCampaign, requireCampaignForOperator } from '../campaigns/campaigns.service.js';
import { productProblems, seatsLeft, type ProductInput } from './group-rules.js';
import * as repo from './groupbuy.repository.js';
import { listJoinableGroups } from './groups.repository.js';

// The group buy's catalogue (what operators stock and buyers list) and its books. Buying lives
// beside it: groups.service (open, join, the group's view), orders, payments, refunds, expiry.

const OPEN_GROUPS_SHOWN = 20;

function toProduct(p: repo.ProductRow): Product {
  return {
    id: p.id,
    campaignId: p.campaignId,
    title: p.title,
    images: p.images,
    price: p.price,
    groupPrice: p.groupPrice,
    groupSize: p.groupSize,
    groupWindowSeconds: p.groupWindowSeconds,
    stock: p.stock,
    perUserLimit: p.perUserLimit,
  };
}

export async function requireProduct(ex: Executor, id: string): Promise<repo.ProductRow> {
  const p = await repo.findProduct(ex, id);
  if (!p) throw new AppError('PRODUCT_NOT_FOUND', 'No such product');
  return p;
}

/** The one way products are made (the admin API, tests and the seed): every rule is checked here. */
export async function createProduct(deps: { db: Executor }, input: ProductInput & { campaignId: string }): Promise<Product> {
  const problems = productProblems(input);
  if (problems.length > 0) throw new AppError('VALIDATION_FAILED', `The product is invalid: ${problems.join('; ')}`, { problems });
  // Operators stock a campaign before publishing it.
  await requireCampaignForOperator(deps.db, input.campaignId);
  const row = await repo.insertProduct(deps.db, {
    campaignId: input.campaignId,
    title: input.title.trim(),
    images: input.images ?? [],
    price: input.price,
    groupPrice: input.groupPrice,
    groupSize: input.groupSize,
    stock: input.stock,
    virtualFill: Boolean(input.virtualFill),
    ...(input.groupWindowSeconds === undefined ? {} : { groupWindowSeconds: input.groupWindowSeconds }),
    ...(input.perUserLimit === undefined ? {} : { perUserLimit: input.perUserLimit }),
    ...(input.virtualFill ? { virtualFillMinReal: input.virtualFill.minRealMembers } : {}),
  });
  return toProduct(row);
}

export async function listProducts(deps: { db: Executor }, campaignId: string): Promise<ProductListResponse> {
  await requireCampaign(deps.db, campaignId);
  return { products: (await repo.listProducts(deps.db, campaignId)).map(toProduct) };
}

export async function getProduct(deps: { db: Executor; clock: Clock }, productId: string): Promise<ProductDetail> {
  const now = deps.clock.now();
  const product = await requireProduct(deps.db, productId);
  const groups = await listJoinableGroups(deps.db, product.id, now, OPEN_GROUPS_SHOWN);
  return {
    ...toProduct(product),
    openGroups: groups.map((g) => ({
      id: g.id,
      opener: g.opener,
      seatsLeft: seatsLeft({ status: 'open', groupSize: g.groupSize, seatsTaken: g.seatsTaken, expiresAt: g.expiresAt }, now),
      expiresAt: iso(g.expiresAt),
    })),
  };
}

export type ProductPatch = Partial<Pick<ProductInput, 'title' | 'images' | 'price' | 'groupPrice' | 'perUserLimit'>>;

/** An operator's edit of a product, checked by the same rules as a new one; runs in the caller's executor. */
export async function updateProduct(ex: Executor, productId: string, patch: ProductPatch): Promise<{ before: Product; after: Product }> {
  const current = await requireProduct(ex, productId);
  const merged: ProductInput = {
    title: patch.title ?? current.title,
    images: patch.images ?? current.images,
    price: patch.price ?? current.price,
    groupPrice: patch.groupPrice ?? current.groupPrice,
    groupSize: current.groupSize,
    stock: current.stock,
    perUserLimit: patch.perUserLimit ?? current.perUserLimit,
  };
  const problems = productProblems(merged);
  if (problems.length > 0) throw new AppError('VALIDATION_FAILED', `The product is invalid: ${problems.join('; ')}`, { problems });
  const row = await repo.updateProduct(ex, productId, {
    title: merged.title.trim(),
    images: merged.images ?? [],
    price: merged.price,
    groupPrice: merged.groupPrice,
    perUserLimit: merged.perUserLimit ?? current.perUserLimit,
  });
  return { before: toProduct(current), after: toProduct(row!) };
}

/** Adds or removes units; refuses to take more than is left (placed orders keep theirs). */
export async function adjustStock(ex: Executor, productId: string, delta: number): Promise<{ before: Product; after: Product }> {
  const current = await requireProduct(ex, productId);
  const row = await repo.adjustStock(ex, productId, delta);
  if (!row) throw new AppError('OUT_OF_STOCK', `Only ${current.stock} unit(s) are left to remove`);
  // Placements may have moved stock since the read above: "before" is what this change started from.
  const after = toProduct(row);
  return { before: { ...after, stock: row.stock - delta }, after };
}

/** Kept totals that differ from the rows they sum (orders' money, groups' seats); empty when the books agree. */
export { findDrift as findGroupBuyDrift } from './groupbuy.repository.js';
