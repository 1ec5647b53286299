/**
 * One way every admin list answers: a keyset-paged JSON page `{items, nextCursor}`, or, when the
 * client sends `Accept: text/csv`, every page streamed as CSV (RFC 4180 quoting), fetched a page at
 * a time so an export of a million rows never sits in memory.
 *
 * A list describes itself as a `PageSource`: how to fetch the rows after a key, the key of a row
 * (a tuple of ints, texts or timestamps — the ORDER BY columns, ending in a unique one), and how a
 * row becomes the contract's item. Example (see `/audit` in admin.routes.ts):
 *
 *   return sendPage(request, reply, {
 *     item: AuditEntry, name: 'audit', key: ['int'],
 *     fetch: (after, limit) => auditPage(app.deps, { ...request.query, beforeId: after?.[0] ?? null, limit }),
 *     keyOf: (row) => [row.id],
 *     toItem: toAuditEntry,
 *   });
 */
import { Readable } from 'node:stream';
import { LIMITS } from '@jizan/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TObject } from 'typebox';
import { AppError } from '../../lib/errors.js';

export type KeyKind = 'int' | 'text' | 'time';
export type KeyPart = string | number;

export interface PageSource<Row, Item> {
  /** The item's schema: its properties are the CSV's columns, in order. */
  item: TObject;
  /** The CSV file's name (without `.csv`). */
  name: string;
  /** The kinds of the key's parts, so a tampered cursor is a 400 rather than a database error. */
  key: KeyKind[];
  /** Rows strictly after `after` in the list's order (from the start when null), at most `limit`. */
  fetch(after: KeyPart[] | null, limit: number): Promise<Row[]>;
  keyOf(row: Row): KeyPart[];
  toItem(row: Row): Item;
}

export const DEFAULT_PAGE_SIZE = 50;
/** Rows per database round trip while streaming CSV. */
const CSV_BATCH = 500;

export function encodePageCursor(key: KeyPart[]): string {
  return Buffer.from(`a1:${JSON.stringify(key)}`).toString('base64url');
}

const validPart: Record<KeyKind, (v: unknown) => boolean> = {
  int: (v) => typeof v === 'number' && Number.isSafeInteger(v),
  text: (v) => typeof v === 'string' && v.length <= 200,
  time: (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)),
};

export function decodePageCursor(cursor: string, kinds: KeyKind[]): KeyPart[] {
  const invalid = () => new AppError('INVALID_CURSOR', 'This cursor was not issued by the server for this list');
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('a1:')) throw invalid();
  let key: unknown;
  try {
    key = JSON.parse(text.slice(3));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(key) || key.length !== kinds.length || !key.every((v, i) => validPart[kinds[i]!](v))) throw invalid();
  return key as KeyPart[];
}

/**
 * One CSV field. Quoted when it holds a comma, quote or line break (quotes doubled); objects and
 * arrays become JSON. A text starting like a spreadsheet formula (= + - @) gets a leading `'`, so a
 * user's nickname cannot run as a formula on the operator's machine.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'string') text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

export function wantsCsv(request: FastifyRequest): boolean {
  return /\btext\/csv\b/i.test(request.headers.accept ?? '');
}

async function* csvRows<Row, Item>(source: PageSource<Row, Item>, columns: string[]): AsyncGenerator<string> {
  yield csvLine(columns);
  let after: KeyPart[] | null = null;
  for (;;) {
    const rows = await source.fetch(after, CSV_BATCH);
    let chunk = '';
    for (const row of rows) {
      const item = source.toItem(row) as Record<string, unknown>;
      chunk += csvLine(columns.map((c) => item[c]));
    }
    if (chunk) yield chunk;
    if (rows.length < CSV_BATCH) return;
    after = source.keyOf(rows[rows.length - 1]!);
  }
}

/** Answers a list request: a JSON page, or the whole list as streamed CSV. */
export async function sendPage<Row, Item>(
  request: FastifyRequest,
  reply: FastifyReply,
  source: PageSource<Row, Item>,
): Promise<FastifyReply> {
  const query = (request.query ?? {}) as { cursor?: string; limit?: number };
  if (wantsCsv(request)) {
    const columns = Object.keys(source.item.properties);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${source.name}.csv"`)
      .send(Readable.from(csvRows(source, columns)));
  }
  const limit = Math.min(query.limit ?? DEFAULT_PAGE_SIZE, LIMITS.pageSizeMax);
  const after = query.cursor ? decodePageCursor(query.cursor, source.key) : null;
  // One extra row says whether a next page exists without a second query.
  const rows = await source.fetch(after, limit + 1);
  const page = rows.slice(0, limit);
  const nextCursor = rows.length > limit ? encodePageCursor(source.keyOf(page[page.length - 1]!)) : null;
  return reply.send({ items: page.map((r) => source.toItem(r)), nextCursor });
}

