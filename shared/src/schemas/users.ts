import { Type, type Static } from 'typebox';
import { Timestamp, UserSummary } from './common.js';
import { LIMITS } from '../constants.js';

export const Me = Type.Object({
  ...UserSummary.properties,
  /** False until the user set a nickname or avatar; a generated default shows meanwhile. */
  profileCompleted: Type.Boolean(),
  /**
   * A nickname the content check has not passed yet (the platform could not be asked, or asked
   * for a review): only you see it; everyone else still sees `nickname` until it passes.
   */
  pendingNickname: Type.Union([Type.String(), Type.Null()]),
  /** Your new avatar waits for its check to be submitted; others see the previous one meanwhile. */
  avatarPending: Type.Boolean(),
  /** The platform's check took your avatar down after it was shown: pick another one. */
  avatarHidden: Type.Boolean(),
  createdAt: Timestamp,
});
export type Me = Static<typeof Me>;

export const UpdateMeBody = Type.Object(
  {
    nickname: Type.Optional(
      Type.String({ minLength: 1, maxLength: LIMITS.nicknameMaxLength, pattern: '\\S' }),
    ),
    avatarUrl: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: LIMITS.urlMaxLength,
        pattern: '^(https://|/v1/avatars/)',
        description: 'An avatar uploaded through POST /v1/me/avatar, or an https picture from a host the server allows',
      }),
    ),
  },
  { minProperties: 1 },
);
export type UpdateMeBody = Static<typeof UpdateMeBody>;

export const AvatarFileParams = Type.Object({ file: Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9a-f-]+\\.(png|jpg|gif|webp)$' }) });
export type AvatarFileParams = Static<typeof AvatarFileParams>;
