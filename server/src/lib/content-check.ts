/**
 * The chat platform's content security, as the services use it: a text check answered at once
 * (`msg_sec_check` v2) and a picture check answered later by a pushed event (`media_check_async`
 * v2). Shaped like the protocol so the platform client implements it as a thin adapter, and a
 * test can hand in a stand-in.
 */

/** The platform's scene numbers for v2 checks: 1 资料 (profile), 2 评论, 3 论坛, 4 社交日志. */
export const PROFILE_SCENE = 1;

/** `result.suggest` of a v2 check. */
export type Suggest = 'pass' | 'review' | 'risky';

export interface TextCheckResult {
  suggest: Suggest;
  /** `result.label`: 100 normal, 10001 ads, 20001 politics, 20002 porn, 20003 abuse, 20006 crime, 20008 fraud, 20012 vulgar, 20013 copyright, 21000 other. */
  label: number;
  traceId: string;
}

export interface ContentCheck {
  /** Throws when the platform cannot be reached or answers with an error code. */
  checkText(q: { openid: string; scene: number; content: string; nickname?: string }): Promise<TextCheckResult>;
  /** Submits a picture; its verdict is pushed to us later under the returned trace id. Throws like `checkText`. */
  submitMedia(q: { openid: string; scene: number; mediaUrl: string }): Promise<{ traceId: string }>;
}

/**
 * What to do when the platform cannot be asked (down, slow, misconfigured): `hold` keeps the
 * text away from strangers until a later check passes it (fail-closed, the default); `allow`
 * shows it unchecked (fail-open, for a deployment that accepts that risk).
 */
export type UnreachablePolicy = 'hold' | 'allow';

/** Where a name stands after its check. */
export type Screening =
  | { verdict: 'pass' }
  | { verdict: 'refused'; label: number }
  /** Not shown to strangers yet: the platform asked for a human review, or could not be asked. */
  | { verdict: 'held'; reason: 'review' | 'unreachable' };

/** The rule from the platform's answer (or its absence) to what we do with the text. */
export function screeningOf(result: TextCheckResult | null, policy: UnreachablePolicy): Screening {
  if (!result) return policy === 'allow' ? { verdict: 'pass' } : { verdict: 'held', reason: 'unreachable' };
  if (result.suggest === 'risky') return { verdict: 'refused', label: result.label };
  if (result.suggest === 'review') return { verdict: 'held', reason: 'review' };
  return { verdict: 'pass' };
}


export interface ContentCheckSettings {
  check: ContentCheck | null;
  policy: UnreachablePolicy;
  /**
   * How long a name's check may take before the name is held instead: setting a name waits at
   * most this long, whatever the platform does (the client's own timeout may be longer).
   */
  deadlineMs: number;
  /** Absolute base for the pictures the platform must fetch (`media_url`), e.g. https://api.example.com. */
  publicBaseUrl: string | null;
}

/** Checks a text within the deadline; a failure, a timeout or no platform at all count as unreachable. */
export async function screenText(
  s: ContentCheckSettings,
  q: { openid: string; content: string },
  onError?: (err: unknown) => void,
): Promise<Screening> {
  if (!s.check) return screeningOf(null, s.policy);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), s.deadlineMs);
  });
  try {
    const result = await Promise.race([s.check.checkText({ openid: q.openid, scene: PROFILE_SCENE, content: q.content }), deadline]);
    return screeningOf(result, s.policy);
  } catch (err) {
    onError?.(err);
    return screeningOf(null, s.policy);
  } finally {
    clearTimeout(timer);
  }
}

/** Submits a picture within the deadline; null when it could not be (no platform, down, slow, no public URL). */
export async function submitMediaWithin(
  s: ContentCheckSettings,
  q: { openid: string; url: string },
  onError?: (err: unknown) => void,
): Promise<string | null> {
  if (!s.check) return null;
  const mediaUrl = q.url.startsWith('/') ? (s.publicBaseUrl ? s.publicBaseUrl.replace(/\/$/, '') + q.url : null) : q.url;
  if (!mediaUrl) return null;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), s.deadlineMs);
  });
  try {
    const sent = await Promise.race([s.check.submitMedia({ openid: q.openid, scene: PROFILE_SCENE, mediaUrl }), deadline]);
    return sent?.traceId ?? null;
  } catch (err) {
    onError?.(err);
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** For names this server writes itself (the demo seed's teams), never for a user's: nothing to check. */
export const OWN_CONTENT: ContentCheckSettings = { check: null, policy: 'allow', deadlineMs: 0, publicBaseUrl: null };
