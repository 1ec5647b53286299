/**
 * A number from a value a query answered. node-postgres hands `bigint` and `numeric` columns (every
 * `count(*)` and `sum`) over as strings, and an aggregate over no rows, or a row not found, gives
 * null or undefined: all of them read as a number here, the absent ones as 0.
 */
export function num(v: unknown): number {
  return Number(v ?? 0);
}
