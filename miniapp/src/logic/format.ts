const pad = (n: number) => String(n).padStart(2, '0');

/** `11月26日 20:00`: short enough for a 375-wide row; the phone's own clock zone is what users read. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getMonth() + 1}月${d.getDate()}日 ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The first visible character, for default avatars: users without an avatar still look distinct. */
export function initialOf(name: string): string {
  const ch = Array.from(name.trim())[0];
  return ch ? ch.toUpperCase() : '?';
}
