import { AppError } from './errors.js';

/** Cursors are opaque to clients: a base64url of the last id seen, so paging is stable under inserts. */
export function encodeCursor(lastId: number): string {
  return Buffer.from(`v1:${lastId}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^v1:(\d{1,16})$/.exec(text);
  if (!match || !Number.isSafeInteger(Number(match[1]))) throw new AppError('INVALID_CURSOR', 'This cursor was not issued by the server');
  return Number(match[1]);
}
