/** Sizes the API enforces; the mini-program uses the same numbers for its inputs. */
export const LIMITS = {
  nicknameMaxLength: 32,
  teamNameMaxLength: 20,
  urlMaxLength: 512,
  idempotencyKeyMaxLength: 128,
  pageSizeMax: 100,
  pageSizeDefault: 20,
  /** Friends shown by face next to a count (helpers, whom I helped); the count covers the rest. */
  friendsShown: 8,
} as const;

/** `a=1&b=x%2Fy`: empty values are left out, so an absent cursor or filter sends nothing. */
export function queryString(query: Record<string, string | number | null | undefined>): string {
  return Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

/** A mini-program page path (`pages/x/index`) with its query, as navigation and share cards take it. */
export function pagePath(page: string, query: Record<string, string> = {}): string {
  const qs = queryString(query);
  return `/${page}${qs ? `?${qs}` : ''}`;
}

/** The mini-program page a share card opens; the token rides in its query. */
export const SHARE_PAGE = 'pages/share/index';

export function sharePagePath(token: string): string {
  return pagePath(SHARE_PAGE, { token });
}

/** A card's picture in the chat, one per kind of card, served by the server. */
export function shareImagePath(kind: 'like' | 'team' | 'groupbuy'): string {
  return `/v1/share-images/${kind}.png`;
}

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
