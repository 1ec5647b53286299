/**
 * Length as the API counts it (code points, so an emoji is one), and whether it fits. Inputs carry
 * no `maxlength`: the platform would cut pasted text without a word, so the counter says it is too
 * long and saving waits until the user shortens it.
 */
export function textLength(s: string): number {
  return Array.from(s.trim()).length;
}

export function fitsLimit(s: string, max: number): boolean {
  return textLength(s) <= max;
}
