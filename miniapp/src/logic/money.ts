/**
 * Money is integer fen everywhere; these are the two ways the pages show it, side by side so
 * neither is mistaken for the other. Integer maths, no float drift.
 */

/** A price, the way shops print one: `5900` → `59`, `1990` → `19.9`, `1` → `0.01`. */
export function priceYuan(fen: number): string {
  const whole = Math.floor(fen / 100);
  const cents = fen % 100;
  if (cents === 0) return String(whole);
  return `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

/** A red packet, pool or budget, always with two decimals, the way a red packet shows money: `188` → `1.88`. */
export function packetYuan(fen: number): string {
  const f = Math.max(0, Math.round(fen));
  return `${Math.floor(f / 100)}.${String(f % 100).padStart(2, '0')}`;
}
