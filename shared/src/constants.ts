/** Sizes the API enforces; the mini-program uses the same numbers for its inputs. */
export const LIMITS = {
  nicknameMaxLength: 32,
  teamNameMaxLength: 20,
  urlMaxLength: 512,
  idempotencyKeyMaxLength: 128,
  pageSizeMax: 100,
  pageSizeDefault: 20,
} as const;

/** The mini-program page a share card opens; the token rides in its query. */
export const SHARE_PAGE = 'pages/share/index';

export function sharePagePath(token: string): string {
  return `/${SHARE_PAGE}?token=${encodeURIComponent(token)}`;
}

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
