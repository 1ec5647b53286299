import { checkName, type NameProblem } from '@jizan/shared/names';

/**
 * Length as the API counts it (code points, so an emoji is one). Inputs carry no `maxlength`: the
 * platform would cut pasted text without a word, so the counter says it is too long and saving
 * waits until the user shortens it.
 */
export function textLength(s: string): number {
  return Array.from(s.trim()).length;
}

/**
 * What the API would refuse in a name as typed (its rule, from `shared`), or null while it is fine
 * or still empty: an empty field is asked for when the user saves, not while they start typing.
 */
export function nameProblem(s: string, max: number): NameProblem | null {
  if (!s.trim()) return null;
  const checked = checkName(s, max);
  return checked.ok ? null : checked.problem;
}
