/**
 * The platform's limits on a subscribe message's field values, by the key's kind (the key's
 * letters before its number: thing1 → thing). A value over its limit is refused with 47003, so
 * we cut it to fit instead: a message with a shortened group name beats no message.
 */
const LIMITS: Record<string, number> = {
  thing: 20, // 20 characters of any kind
  number: 32,
  letter: 32,
  symbol: 5,
  character_string: 32,
  phone_number: 17,
  car_number: 8,
  phrase: 5, // 5 Chinese characters
  name: 10, // 10 Chinese characters (20 when Latin only)
};

/** `thing12` → `thing`, `character_string3` → `character_string`. */
export function fieldKind(key: string): string {
  return key.replace(/\d+$/, '');
}

/** The limit of a field in characters (code points), or null when its kind has none by length (time, date, amount, enum). */
export function fieldLimit(key: string, value: string): number | null {
  const kind = fieldKind(key);
  if (kind === 'name') return /^[\x20-\x7e]*$/.test(value) ? 20 : 10;
  return LIMITS[kind] ?? null;
}

/**
 * A value cut to its field's limit. Text kinds (thing, name) end in an ellipsis so the reader
 * sees it was cut; the others are cut bare (a symbol or a code has no room for one). Counted in
 * code points, as the platform counts characters, so an emoji is never split in half.
 */
export function fitField(key: string, value: string): string {
  const limit = fieldLimit(key, value);
  const chars = [...value];
  if (limit === null || chars.length <= limit) return value;
  const kind = fieldKind(key);
  if (kind === 'thing' || kind === 'name') return chars.slice(0, limit - 1).join('') + '…';
  return chars.slice(0, limit).join('');
}

/** Every field of a message fitted; the platform's shape `{ key: { value } }`. */
export function fitFields(fields: Record<string, string>): Record<string, { value: string }> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { value: fitField(k, v) }]));
}
