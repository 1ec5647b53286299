import { ERRORS, type ErrorCode } from '@jizan/shared/errors';

/**
 * The one error services throw for anything a client did or can fix: the errors plugin turns
 * it into `{error: {code, message, details?}}` with the status the shared contract gives the code.
 */
export class AppError extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
    this.statusCode = ERRORS[code];
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
