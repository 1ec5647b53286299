import { Type, type Static } from 'typebox';
import { ERROR_CODES, type ErrorCode } from '../errors.js';
import { LIMITS } from '../constants.js';

/**
 * Ids are written one way: lowercase, hyphenated, as the server hands them out. Other spellings
 * the format alone lets through (`urn:uuid:…`, uppercase) are refused here rather than half
 * accepted by the database, so a client cannot make two keys for one id.
 */
export const Id = Type.String({
  format: 'uuid',
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
  description: 'A UUID, lowercase and hyphenated',
});
/** UTC instants travel as ISO-8601 strings. */
export const Timestamp = Type.String({ format: 'date-time' });
/** Energy is a whole number; money is integer fen. */
export const Energy = Type.Integer({ minimum: 0 });
/** Money travels as integer fen (1 元 = 100 fen), never as a float. */
export const Fen = Type.Integer({ minimum: 0, description: 'An amount in integer fen (1 元 = 100 fen)' });

export const IdParams = Type.Object({ id: Id });
export type IdParams = Static<typeof IdParams>;

/** One of the given error codes, typed as exactly those codes. */
export function ErrorCodeOf<C extends ErrorCode>(codes: readonly C[], options?: { description: string }) {
  return Type.Enum(codes, options);
}

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: ErrorCodeOf(ERROR_CODES),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorResponse', description: 'Every failure has this shape' },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

export const UserSummary = Type.Object({
  id: Id,
  nickname: Type.String(),
  avatarUrl: Type.Union([Type.String(), Type.Null()]),
});
export type UserSummary = Static<typeof UserSummary>;

/** Opaque paging cursor handed out as `nextCursor`. */
export const Cursor = Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' });

/** How many rows a list may be asked for. */
export const PageSize = Type.Integer({ minimum: 1, maximum: LIMITS.pageSizeMax });
