/**
 * The scene of a scanned poster code as the page's query carries it: the platform hands it over
 * URL-encoded (and a page may pass it on encoded again), so it is decoded until stable. Our scenes
 * are letters and digits; anything else is no scene.
 */
export function posterSceneOf(raw: string | undefined): string | null {
  if (!raw) return null;
  let s = raw;
  for (let i = 0; i < 2 && s.includes('%'); i++) {
    try {
      s = decodeURIComponent(s);
    } catch {
      return null;
    }
  }
  return /^[A-Za-z0-9]{1,32}$/.test(s) ? s : null;
}
