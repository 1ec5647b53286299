import { Type, type Static } from 'typebox';
import { Timestamp, UserSummary } from './common.js';

export const LoginBody = Type.Object({
  /** What the mini-program's login call returned; `dev:<name>` on servers that allow dev logins. */
  code: Type.String({ minLength: 1, maxLength: 128 }),
});
export type LoginBody = Static<typeof LoginBody>;

export const LoginResponse = Type.Object({
  token: Type.String(),
  expiresAt: Timestamp,
  user: UserSummary,
});
export type LoginResponse = Static<typeof LoginResponse>;
