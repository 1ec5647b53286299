-- like_request: one like as like_shares reads it from its JSON argument (like-shares.sql), field
-- for field what likePayload in likes.repository.ts writes; `n` is the like's place in the batch.
--
-- Like like-shares.sql, this file is the type's home and reaches the database only through a
-- migration: `pnpm db:like-migration <slug>` recreates the type when this file differs from the
-- newest migration that defines it (like_shares depends on it only in its body, so the function
-- is recreated in the same migration). server/test/modules/likes/like-sql.test.ts holds the two
-- equal.

CREATE TYPE like_request AS (
  n integer,
  campaign_id uuid,
  rules_version integer,
  share_id uuid,
  sharer_id uuid,
  liker_id uuid,
  day date,
  at timestamptz,
  daily_cap integer,
  sharer_cap integer,
  teammates_allowed boolean,
  like_energy integer,
  new_liker_energy integer,
  idempotency_key text,
  fingerprint text
);
