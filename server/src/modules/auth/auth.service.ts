import type { LoginResponse } from '@jizan/shared';
import type { Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { userForIdentity } from '../users/users.service.js';
import type { CodeExchanger } from './code-exchange.js';
import { insertLoginEvent } from './auth.repository.js';
import { issueAccessToken, type TokenSettings } from './tokens.js';

/** Where a login came from, kept for fraud review (many accounts behind one device or address). */
export interface LoginClient {
  ip: string | null;
  /** The mini-program's `x-device-id`; anything that is not a short token is dropped. */
  deviceId: string | null;
}

const DEVICE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function loginClientOf(ip: string | undefined, deviceHeader: string | string[] | undefined): LoginClient {
  const device = typeof deviceHeader === 'string' && DEVICE_ID.test(deviceHeader) ? deviceHeader : null;
  return { ip: ip || null, deviceId: device };
}

export interface AuthDeps {
  db: Executor;
  clock: Clock;
  exchanger: CodeExchanger;
  tokens: TokenSettings;
}

/** Exchanges a platform login code for our own access token, creating the user on first sight. */
export async function login(deps: AuthDeps, code: string, client: LoginClient = { ip: null, deviceId: null }): Promise<LoginResponse> {
  const identity = await deps.exchanger.exchange(code);
  const user = await userForIdentity(deps.db, identity);
  const now = deps.clock.now();
  await insertLoginEvent(deps.db, { userId: user.id, ...client, at: now });
  const { token, expiresAt } = await issueAccessToken(deps.tokens, user.id, now);
  return { token, expiresAt: expiresAt.toISOString(), user };
}
