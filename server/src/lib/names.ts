import { checkName } from '@jizan/shared/names';
import { AppError } from './errors.js';

/** A user-given name in its stored form, or a 400 naming the field (the rule is shared/src/names.ts). */
export function requireName(field: string, raw: string, maxLength: number): string {
  const checked = checkName(raw, maxLength);
  if (!checked.ok) {
    throw new AppError('VALIDATION_FAILED', `The ${field} ${checked.reason}`, [{ path: `body/${field}`, message: checked.reason }]);
  }
  return checked.name;
}
