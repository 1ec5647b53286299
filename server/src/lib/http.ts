import { ErrorResponse } from '@jizan/shared';
import type { TSchema } from 'typebox';

/** A route's success schemas plus the one error shape for every 4xx and 5xx. */
export function replies<R extends Record<number, TSchema>>(ok: R) {
  return { ...ok, '4xx': ErrorResponse, '5xx': ErrorResponse } as R & { '4xx': typeof ErrorResponse; '5xx': typeof ErrorResponse };
}
