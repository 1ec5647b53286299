/**
 * The chat platform's unlimited mini-program code (`POST /wxa/getwxacodeunlimit`), as the poster
 * needs it: the platform client implements this; it throws when the platform is unreachable or
 * answers a JSON error instead of the picture.
 */
export interface WxaCodes {
  unlimited(q: { scene: string; page: string; checkPath: boolean; envVersion: 'release' | 'trial' | 'develop'; width: number }): Promise<Buffer>;
}

export interface PosterCodeSettings {
  /** Null where no platform client is configured: posters then answer SERVICE_UNAVAILABLE. */
  codes: WxaCodes | null;
  /** Which build of the mini-program a scanned code opens. */
  envVersion: 'release' | 'trial' | 'develop';
  /** False lets a code point at a page not yet released (trial and develop builds). */
  checkPath: boolean;
}
