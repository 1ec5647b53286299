import { Type, type Static } from 'typebox';
import { Timestamp, UserSummary } from './common.js';
import { LIMITS } from '../constants.js';

export const Me = Type.Object({
  ...UserSummary.properties,
  /** False until the user set a nickname or avatar; a generated default shows meanwhile. */
  profileCompleted: Type.Boolean(),
  createdAt: Timestamp,
});
export type Me = Static<typeof Me>;

export const UpdateMeBody = Type.Object(
  {
    nickname: Type.Optional(
      Type.String({ minLength: 1, maxLength: LIMITS.nicknameMaxLength, pattern: '\\S' }),
    ),
    avatarUrl: Type.Optional(
      Type.String({ minLength: 1, maxLength: LIMITS.urlMaxLength, pattern: '^(https?://|wxfile://|/)' }),
    ),
  },
  { minProperties: 1 },
);
export type UpdateMeBody = Static<typeof UpdateMeBody>;
