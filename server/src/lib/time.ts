/** ISO-8601 UTC text for the API; the drivers may hand back a Date or a string. */
export function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
