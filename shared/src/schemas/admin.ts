import { Type, type Static } from 'typebox';
import { Cursor, Id, PageSize, Timestamp } from './common.js';

/**
 * The operators' admin API (`/admin/v1`). Operators call it with an operator key
 * (`Authorization: Bearer jzk_…`), never with a user's access token.
 */

/** `read` sees everything; `write` changes campaigns, products, stock and fraud reviews. */
export const OperatorScope = Type.Union([Type.Literal('read'), Type.Literal('write')]);
export type OperatorScope = Static<typeof OperatorScope>;

/** The prefix every operator key starts with, so a leaked key is recognisable in logs and scanners. */
export const OPERATOR_KEY_PREFIX = 'jzk_';

export const Operator = Type.Object({
  id: Id,
  name: Type.String(),
  scopes: Type.Array(OperatorScope),
  /** The key's first characters, to tell keys apart without revealing them. */
  keyPrefix: Type.String(),
  createdAt: Timestamp,
  revokedAt: Type.Union([Timestamp, Type.Null()]),
});
export type Operator = Static<typeof Operator>;

/** Every admin list takes the same paging query; `Accept: text/csv` streams all pages as CSV instead. */
export const AdminPageQuery = Type.Object({
  cursor: Type.Optional(Cursor),
  limit: Type.Optional(PageSize),
});
export type AdminPageQuery = Static<typeof AdminPageQuery>;

/** An admin list page: the rows, and the cursor of the next page (null on the last). */
export function AdminPage<T extends ReturnType<typeof Type.Object>>(item: T, options: { $id?: string; description?: string } = {}) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Cursor, Type.Null()]) }, options);
}

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  operatorId: Type.Union([Id, Type.Null()]),
  operatorName: Type.String(),
  action: Type.String({ examples: ['campaign.transition'] }),
  targetType: Type.String({ examples: ['campaign'] }),
  targetId: Type.String(),
  before: Type.Unknown(),
  after: Type.Unknown(),
  createdAt: Timestamp,
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditQuery = Type.Object({
  ...AdminPageQuery.properties,
  targetType: Type.Optional(Type.String({ maxLength: 50 })),
  targetId: Type.Optional(Type.String({ maxLength: 100 })),
});
export type AuditQuery = Static<typeof AuditQuery>;
