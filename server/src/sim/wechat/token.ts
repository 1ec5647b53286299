import { randomBytes } from 'node:crypto';
import { ok, platformError, type SimEndpoint } from './endpoint.js';

/** The platform's tokens: the current one per app, and every token still honoured. */
export class SimTokens {
  readonly live = new Map<string, { appId: string; expiresAt: number }>();
  current: string | null = null;
  forceRefreshes: number[] = [];

  constructor(readonly ttlSeconds: number) {}

  mint(appId: string, now: number): string {
    const token = `sim_${randomBytes(48).toString('base64url')}`;
    this.live.set(token, { appId, expiresAt: now + this.ttlSeconds * 1000 });
    this.current = token;
    return token;
  }

  /** As if the token ran out (42001 from now on). */
  expire(token: string, now: number): void {
    const t = this.live.get(token);
    if (t) t.expiresAt = Math.min(t.expiresAt, now - 1);
  }

  /** 0 when good, else the documented errcode for it. */
  check(token: string | null, now: number): 0 | 41001 | 40001 | 42001 {
    if (!token) return 41001;
    const t = this.live.get(token);
    if (!t) return 40001;
    return t.expiresAt > now ? 0 : 42001;
  }
}

/** In the last 5 minutes of a token, normal mode hands out the next one (the old one keeps working). */
const HANDOVER_MS = 5 * 60_000;

export const tokenEndpoints: SimEndpoint[] = [
  {
    path: '/cgi-bin/stable_token',
    token: false,
    handle({ sim, body, now }) {
      const t = now.getTime();
      if (body.grant_type !== 'client_credential') return platformError(40002, 'invalid grant_type');
      if (body.appid !== sim.appId) return platformError(40013, 'invalid appid');
      if (body.secret !== sim.appSecret) return platformError(40125, 'invalid appsecret');
      const tokens = sim.tokens;
      if (body.force_refresh === true) {
        const today = tokens.forceRefreshes.filter((at) => at > t - 24 * 3600_000);
        if (today.length >= 20) return platformError(45009, 'reach max api daily quota limit');
        if (today.some((at) => at > t - 30_000)) return platformError(45011, 'api minute-quota reach limit, mustslower retry next minute');
        tokens.forceRefreshes = [...today, t];
        // Forced mode invalidates the previous token at once: every other holder now gets 40001.
        if (tokens.current) tokens.live.delete(tokens.current);
        const fresh = tokens.mint(sim.appId, t);
        return ok({ access_token: fresh, expires_in: tokens.ttlSeconds });
      }
      const cur = tokens.current ? tokens.live.get(tokens.current) : undefined;
      const token = cur && cur.expiresAt - t > HANDOVER_MS ? tokens.current! : tokens.mint(sim.appId, t);
      const expiresAt = tokens.live.get(token)!.expiresAt;
      const answer = ok({ access_token: token, expires_in: Math.floor((expiresAt - t) / 1000) });
      // The real answer has no errcode field on success.
      if ('json' in answer) {
        delete answer.json.errcode;
        delete answer.json.errmsg;
      }
      return answer;
    },
  },
];
