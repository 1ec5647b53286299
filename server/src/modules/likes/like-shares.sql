-- like_shares: the like, several to a call (likeShares in likes.repository.ts calls it with the
-- likes one instance gathered; the argument is a JSON array of like_request, like-request.sql).
--
-- This file is the function's home; the database gets it only through a migration. To change
-- the like, edit the statement below, then `pnpm db:like-migration <slug>` writes it into a new
-- custom drizzle migration (journal and snapshot included), where you say what changed and why.
-- server/test/modules/likes/like-sql.test.ts fails while this file and the newest migration that
-- defines like_shares (and the migrated database) differ beyond whitespace.
--
-- What the statement below holds to:
-- - One transaction and one commit carry the whole batch (commits were as dear as the likes).
-- - Two batches running at once never deadlock: every row lock is taken class by class, each
--   class in key order: Idempotency-Keys, the likers' user rows (the first-like mark), the daily
--   counters, then, after the likes are decided, the sharers' participant rows and their teams.
--   Counter and participant rows that do not exist yet are created first in the same order (count
--   0, energy 0; readers treat both as absent), so no row is first locked out of turn.
--   voidLikesBy locks balances in the same order.
-- - The facts every guard needs are read for the whole batch in one statement; each like is then
--   decided in arrival order against them and against what the batch's earlier likes did (pairs,
--   counters, first-like marks), refusing in likeBlockedBy's order (like-rules.ts) with its codes.
-- - A refused like writes nothing and answers its code instead of raising, so it never takes the
--   batch's other likes down with it; a keyed like that is refused gives its key back.
-- - The writes are one statement per table, balances last, so a hot sharer's and team's rows are
--   held only for their own updates and the commit. A like's unique entry is guarded by the
--   liker's `given` counter, which the batch holds, so no insert waits on anybody.

CREATE OR REPLACE FUNCTION like_shares(p_likes jsonb)
RETURNS TABLE (n integer, outcome text, code text, energy integer, new_liker boolean, sharer_energy bigint, team_energy bigint, replay_status integer, replay_body jsonb)
LANGUAGE plpgsql
-- As in 0017: index lookups in key order. And one plan per statement, made once per connection:
-- left to choose, PostgreSQL kept planning the statements afresh on each call (its generic plans
-- looked dearer to it), which was nearly half of a one-like call's CPU (bench-results/README.md).
SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_likes like_request[] := ARRAY(SELECT r FROM jsonb_populate_recordset(NULL::like_request, p_likes) r ORDER BY r.n);
  v_answered integer[] := '{}';
  l like_request;
  v_i integer;
  v_j integer;
  -- What the database says for each like of v_likes (same index), read once under the locks.
  f_version integer[];
  f_team uuid[];
  f_teammate boolean[];
  f_liked boolean[];
  f_given integer[];
  f_received integer[];
  f_unmarked boolean[];
  -- What the batch's earlier likes did: pairs liked, counters bumped (by key), likers marked.
  v_pairs text[] := '{}';
  v_count_keys text[] := '{}';
  v_count_campaigns uuid[] := '{}';
  v_count_users uuid[] := '{}';
  v_count_days date[] := '{}';
  v_count_directions text[] := '{}';
  v_counts integer[] := '{}';
  v_marked uuid[] := '{}';
  v_marked_at timestamptz[] := '{}';
  v_given integer;
  v_received integer;
  v_refusal text;
  v_new boolean;
  -- Refused likes, and the keys they give back.
  x_n integer[] := '{}';
  x_code text[] := '{}';
  x_liker uuid[] := '{}';
  x_key text[] := '{}';
  -- Accepted likes, in order, with what each credited and the balances right after it.
  a_n integer[] := '{}';
  a_id bigint[];
  a_campaign uuid[] := '{}';
  a_share uuid[] := '{}';
  a_sharer uuid[] := '{}';
  a_liker uuid[] := '{}';
  a_team uuid[] := '{}';
  a_day date[] := '{}';
  a_at timestamptz[] := '{}';
  a_energy integer[] := '{}';
  a_new boolean[] := '{}';
  a_key text[] := '{}';
  a_sharer_energy bigint[] := '{}';
  a_team_energy bigint[] := '{}';
  -- The balances this batch moves, read once under lock and written once at the end.
  v_sharer_keys text[];
  v_sharer_campaigns uuid[];
  v_sharer_users uuid[];
  v_sharer_energies bigint[];
  v_sharer_before bigint[];
  v_team_ids uuid[];
  v_team_energies bigint[];
  v_team_before bigint[];
BEGIN
  -- Keys: a key already stored answers its replay (or, sent with another request, its refusal) and
  -- its like is not run. The caller never puts one key twice in a batch. The stored answers are
  -- read by a second statement, which sees a key another batch committed while this one waited.
  IF EXISTS (SELECT 1 FROM unnest(v_likes) x WHERE x.idempotency_key IS NOT NULL) THEN
    WITH claimed AS (
      INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at)
        SELECT x.liker_id, x.idempotency_key, x.fingerprint, x.at FROM unnest(v_likes) x
        WHERE x.idempotency_key IS NOT NULL ORDER BY x.liker_id, x.idempotency_key
        ON CONFLICT DO NOTHING RETURNING idempotency_keys.user_id, idempotency_keys.key
    )
    SELECT coalesce(array_agg(x.n), '{}') INTO v_answered FROM unnest(v_likes) x
      WHERE x.idempotency_key IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM claimed c WHERE c.user_id = x.liker_id AND c.key = x.idempotency_key);
    RETURN QUERY
      SELECT x.n, s.outcome, CASE WHEN s.outcome = 'refused' THEN 'IDEMPOTENCY_KEY_REUSED' END, NULL::integer, NULL::boolean,
             NULL::bigint, NULL::bigint, CASE WHEN s.outcome = 'replayed' THEN k.status_code END, CASE WHEN s.outcome = 'replayed' THEN k.body END
      FROM unnest(v_likes) x
      LEFT JOIN idempotency_keys k ON k.user_id = x.liker_id AND k.key = x.idempotency_key,
      LATERAL (SELECT CASE WHEN k.fingerprint IS DISTINCT FROM x.fingerprint OR k.status_code IS NULL THEN 'refused' ELSE 'replayed' END AS outcome) s
      WHERE x.n = ANY (v_answered);
    v_likes := ARRAY(SELECT x FROM unnest(v_likes) x WHERE x.n <> ALL (v_answered) ORDER BY x.n);
  END IF;
  IF coalesce(cardinality(v_likes), 0) = 0 THEN
    RETURN;
  END IF;

  PERFORM 1 FROM users u
    WHERE u.id = ANY (ARRAY(SELECT x.liker_id FROM unnest(v_likes) x)) AND u.first_liked_at IS NULL
    ORDER BY u.id FOR NO KEY UPDATE;

  INSERT INTO daily_like_counts (campaign_id, user_id, day, direction, count)
    SELECT DISTINCT c.campaign_id, c.user_id, c.day, c.direction, 0
    FROM unnest(v_likes) x,
         LATERAL (VALUES (x.campaign_id, x.liker_id, x.day, 'given'), (x.campaign_id, x.sharer_id, x.day, 'received')) AS c (campaign_id, user_id, day, direction)
    WHERE x.liker_id <> x.sharer_id AND (c.direction = 'given' OR x.sharer_cap IS NOT NULL)
    ORDER BY 1, 2, 3, 4
    ON CONFLICT DO NOTHING;
  PERFORM 1
    FROM (SELECT DISTINCT x.campaign_id, c.user_id, x.day, c.direction
          FROM unnest(v_likes) x, LATERAL (VALUES (x.liker_id, 'given'), (x.sharer_id, 'received')) AS c (user_id, direction)) k
    JOIN daily_like_counts d ON d.campaign_id = k.campaign_id AND d.user_id = k.user_id AND d.day = k.day AND d.direction = k.direction
    ORDER BY d.campaign_id, d.user_id, d.day, d.direction FOR UPDATE OF d;

  SELECT array_agg(c.rules_version ORDER BY x.n), array_agg(tm.team_id ORDER BY x.n),
         array_agg(EXISTS (SELECT 1 FROM team_members m WHERE m.campaign_id = x.campaign_id AND m.user_id = x.liker_id AND m.team_id = tm.team_id) ORDER BY x.n),
         array_agg(EXISTS (SELECT 1 FROM likes k WHERE k.campaign_id = x.campaign_id AND k.liker_id = x.liker_id AND k.sharer_id = x.sharer_id AND k.day = x.day) ORDER BY x.n),
         array_agg((SELECT d.count FROM daily_like_counts d WHERE d.campaign_id = x.campaign_id AND d.user_id = x.liker_id AND d.day = x.day AND d.direction = 'given') ORDER BY x.n),
         array_agg((SELECT d.count FROM daily_like_counts d WHERE d.campaign_id = x.campaign_id AND d.user_id = x.sharer_id AND d.day = x.day AND d.direction = 'received') ORDER BY x.n),
         array_agg((SELECT u.first_liked_at IS NULL FROM users u WHERE u.id = x.liker_id) ORDER BY x.n)
    INTO f_version, f_team, f_teammate, f_liked, f_given, f_received, f_unmarked
    FROM unnest(v_likes) x
    LEFT JOIN campaigns c ON c.id = x.campaign_id
    LEFT JOIN team_members tm ON tm.campaign_id = x.campaign_id AND tm.user_id = x.sharer_id;

  FOR v_i IN 1 .. cardinality(v_likes) LOOP
    l := v_likes[v_i];
    v_j := array_position(v_count_keys, concat_ws('|', l.campaign_id, l.liker_id, l.day, 'given'));
    v_given := f_given[v_i] + coalesce(v_counts[v_j], 0);
    v_j := array_position(v_count_keys, concat_ws('|', l.campaign_id, l.sharer_id, l.day, 'received'));
    v_received := f_received[v_i] + coalesce(v_counts[v_j], 0);
    -- The refusals come in the order of likeBlockedBy (like-rules.ts), so the landing's
    -- "can I like?" and the like agree.
    v_refusal := CASE
      WHEN f_version[v_i] IS DISTINCT FROM l.rules_version THEN 'STALE_CAMPAIGN'
      WHEN l.liker_id = l.sharer_id THEN 'SELF_LIKE'
      WHEN NOT l.teammates_allowed AND f_teammate[v_i] THEN 'TEAMMATE_LIKE'
      WHEN f_liked[v_i] OR concat_ws('|', l.campaign_id, l.liker_id, l.sharer_id, l.day) = ANY (v_pairs) THEN 'ALREADY_LIKED'
      WHEN v_given >= l.daily_cap THEN 'DAILY_LIKE_CAP'
      WHEN l.sharer_cap IS NOT NULL AND v_received >= l.sharer_cap THEN 'SHARER_DAILY_CAP'
    END;
    IF v_refusal IS NOT NULL THEN
      x_n := x_n || l.n;
      x_code := x_code || v_refusal;
      x_liker := x_liker || l.liker_id;
      x_key := x_key || l.idempotency_key;
      CONTINUE;
    END IF;

    v_pairs := v_pairs || concat_ws('|', l.campaign_id, l.liker_id, l.sharer_id, l.day);
    FOR v_j IN 1 .. CASE WHEN l.sharer_cap IS NULL THEN 1 ELSE 2 END LOOP
      DECLARE
        k_user uuid := CASE WHEN v_j = 1 THEN l.liker_id ELSE l.sharer_id END;
        k_direction text := CASE WHEN v_j = 1 THEN 'given' ELSE 'received' END;
        k_at integer := array_position(v_count_keys, concat_ws('|', l.campaign_id, k_user, l.day, k_direction));
      BEGIN
        IF k_at IS NULL THEN
          v_count_keys := v_count_keys || concat_ws('|', l.campaign_id, k_user, l.day, k_direction);
          v_count_campaigns := v_count_campaigns || l.campaign_id;
          v_count_users := v_count_users || k_user;
          v_count_days := v_count_days || l.day;
          v_count_directions := v_count_directions || k_direction;
          v_counts := v_counts || 1;
        ELSE
          v_counts[k_at] := v_counts[k_at] + 1;
        END IF;
      END;
    END LOOP;
    v_new := f_unmarked[v_i] AND NOT (l.liker_id = ANY (v_marked));
    IF v_new THEN
      v_marked := v_marked || l.liker_id;
      v_marked_at := v_marked_at || l.at;
    END IF;
    a_n := a_n || l.n;
    a_campaign := a_campaign || l.campaign_id;
    a_share := a_share || l.share_id;
    a_sharer := a_sharer || l.sharer_id;
    a_liker := a_liker || l.liker_id;
    a_team := a_team || f_team[v_i];
    a_day := a_day || l.day;
    a_at := a_at || l.at;
    a_energy := a_energy || CASE WHEN v_new THEN l.new_liker_energy ELSE l.like_energy END;
    a_new := a_new || v_new;
    a_key := a_key || l.idempotency_key;
  END LOOP;

  IF cardinality(x_n) > 0 THEN
    DELETE FROM idempotency_keys k USING unnest(x_liker, x_key) z (liker_id, key)
      WHERE z.key IS NOT NULL AND k.user_id = z.liker_id AND k.key = z.key;
    RETURN QUERY SELECT z.n, 'refused'::text, z.code, NULL::integer, NULL::boolean, NULL::bigint, NULL::bigint, NULL::integer, NULL::jsonb
      FROM unnest(x_n, x_code) z (n, code);
  END IF;
  IF cardinality(a_n) = 0 THEN
    RETURN;
  END IF;

  -- The writes, a statement per table. None of them waits on anybody: the marks and counters are
  -- locked above, and a like's unique entry is guarded by the liker's counter, which this batch holds.
  UPDATE users u SET first_liked_at = m.at FROM unnest(v_marked, v_marked_at) m (id, at) WHERE u.id = m.id;
  a_id := ARRAY(SELECT nextval('likes_id_seq') FROM generate_series(1, cardinality(a_n)));
  INSERT INTO likes (id, campaign_id, share_id, sharer_id, liker_id, team_id, day, energy, created_at)
    SELECT * FROM unnest(a_id, a_campaign, a_share, a_sharer, a_liker, a_team, a_day, a_energy, a_at);
  INSERT INTO energy_ledger (campaign_id, user_id, team_id, amount, reason, like_id, created_at)
    SELECT z.campaign_id, z.sharer_id, z.team_id, z.energy, CASE WHEN z.new THEN 'new_liker_like' ELSE 'like' END, z.id, z.at
    FROM unnest(a_id, a_campaign, a_sharer, a_team, a_energy, a_new, a_at) z (id, campaign_id, sharer_id, team_id, energy, new, at);
  UPDATE daily_like_counts d SET count = d.count + c.added
    FROM unnest(v_count_campaigns, v_count_users, v_count_days, v_count_directions, v_counts) c (campaign_id, user_id, day, direction, added)
    WHERE d.campaign_id = c.campaign_id AND d.user_id = c.user_id AND d.day = c.day AND d.direction = c.direction;

  -- The balances last, so a hot sharer's and team's rows are held only for these few statements
  -- and the commit, not for the whole batch.
  INSERT INTO participants (campaign_id, user_id, energy)
    SELECT DISTINCT z.campaign_id, z.user_id, 0 FROM unnest(a_campaign, a_sharer) z (campaign_id, user_id)
    ORDER BY 1, 2
    ON CONFLICT DO NOTHING;
  SELECT array_agg(b.campaign_id::text || b.user_id::text), array_agg(b.campaign_id), array_agg(b.user_id), array_agg(b.energy)
    INTO v_sharer_keys, v_sharer_campaigns, v_sharer_users, v_sharer_energies
    FROM (SELECT p.campaign_id, p.user_id, p.energy
          FROM (SELECT DISTINCT z.campaign_id, z.user_id FROM unnest(a_campaign, a_sharer) z (campaign_id, user_id)) k
          JOIN participants p ON p.campaign_id = k.campaign_id AND p.user_id = k.user_id
          ORDER BY p.campaign_id, p.user_id FOR NO KEY UPDATE OF p) b;
  v_sharer_before := v_sharer_energies;
  SELECT coalesce(array_agg(b.id), '{}'), coalesce(array_agg(b.energy), '{}') INTO v_team_ids, v_team_energies
    FROM (SELECT t.id, t.energy FROM teams t
          WHERE t.id = ANY (ARRAY(SELECT DISTINCT u.id FROM unnest(a_team) u (id) WHERE u.id IS NOT NULL))
          ORDER BY t.id FOR NO KEY UPDATE OF t) b;
  v_team_before := v_team_energies;

  -- Each like's answer: the balances right after it, as if the batch's likes had run one by one.
  FOR v_i IN 1 .. cardinality(a_n) LOOP
    v_j := array_position(v_sharer_keys, a_campaign[v_i]::text || a_sharer[v_i]::text);
    v_sharer_energies[v_j] := v_sharer_energies[v_j] + a_energy[v_i];
    a_sharer_energy := a_sharer_energy || v_sharer_energies[v_j];
    IF a_team[v_i] IS NULL THEN
      a_team_energy := a_team_energy || NULL::bigint;
    ELSE
      v_j := array_position(v_team_ids, a_team[v_i]);
      v_team_energies[v_j] := v_team_energies[v_j] + a_energy[v_i];
      a_team_energy := a_team_energy || v_team_energies[v_j];
    END IF;
  END LOOP;

  UPDATE participants p SET energy = z.energy
    FROM unnest(v_sharer_campaigns, v_sharer_users, v_sharer_energies, v_sharer_before) z (campaign_id, user_id, energy, before)
    WHERE z.energy <> z.before AND p.campaign_id = z.campaign_id AND p.user_id = z.user_id;
  UPDATE teams t SET energy = z.energy
    FROM unnest(v_team_ids, v_team_energies, v_team_before) z (id, energy, before)
    WHERE z.energy <> z.before AND t.id = z.id;
  UPDATE idempotency_keys k SET status_code = 200, body = jsonb_build_object(
      'energy', z.energy, 'newLikerBonus', z.new, 'sharerEnergy', z.sharer_energy, 'teamEnergy', z.team_energy)
    FROM unnest(a_liker, a_key, a_energy, a_new, a_sharer_energy, a_team_energy) z (liker_id, key, energy, new, sharer_energy, team_energy)
    WHERE z.key IS NOT NULL AND k.user_id = z.liker_id AND k.key = z.key;

  RETURN QUERY SELECT z.n, 'liked'::text, NULL::text, z.energy, z.new, z.sharer_energy, z.team_energy, NULL::integer, NULL::jsonb
    FROM unnest(a_n, a_energy, a_new, a_sharer_energy, a_team_energy) z (n, energy, new, sharer_energy, team_energy);
END;
$$;
