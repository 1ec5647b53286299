import type { LoginResponse } from '@jizan/shared';
import type { Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { userForIdentity } from '../users/users.service.js';
import type { CodeExchanger } from './code-exchange.js';
import { issueAccessToken, type TokenSettings } from './tokens.js';

export interface AuthDeps {
  db: Executor;
  clock: Clock;
  exchanger: CodeExchanger;
  tokens: TokenSettings;
}

/** Exchanges a platform login code for our own access token, creating the user on first sight. */
export async function login(deps: AuthDeps, code: string): Promise<LoginResponse> {
  const identity = await deps.exchanger.exchange(code);
  const user = await userForIdentity(deps.db, identity);
  const { token, expiresAt } = await issueAccessToken(deps.tokens, user.id, deps.clock.now());
  return { token, expiresAt: expiresAt.toISOString(), user };
}
