-- Likes in batches: each instance sends the likes that arrive together as one call, so one
-- transaction and one commit (one WAL flush) carry many likes. Measured before: with a commit per
-- like, PostgreSQL spent about as much CPU committing and waiting on WALWrite as running the like.
--
-- Two batches running at once must never deadlock, so every transaction takes its row locks class
-- by class, each class in key order: Idempotency-Keys, the likers' user rows (the first-like
-- mark), the daily counters, then, after the likes, the sharers' participant rows and their teams.
-- Counter and participant rows that do not exist yet are created in the same order first (count
-- 0, energy 0; readers treat both as absent), so no row is first locked out of turn. In between,
-- the likes run one by one in arrival order, each seeing the ones before it (caps, the first-like
-- bonus), and only insert rows nobody else can be waiting for: a like's unique entry is guarded
-- by the liker's `given` counter, which this batch holds. The balances come last so that a hot
-- sharer's and team's rows are held only for their own updates and the commit.
--
-- `like_share` (0016), one like per call, is left in place: during a rolling upgrade the instances
-- still on the previous release call it. Its locks are one like's rows in its own order, so it can
-- deadlock with a batch meanwhile; PostgreSQL breaks that after a second and the instance runs the
-- batch's likes again one by one. A later migration drops it.
--
-- A refused like writes nothing and answers its code instead of raising, so it never takes the
-- batch's other likes down with it; a keyed like that is refused gives its key back.
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
--> statement-breakpoint
CREATE FUNCTION like_shares(p_likes jsonb)
RETURNS TABLE (n integer, outcome text, code text, energy integer, new_liker boolean, sharer_energy bigint, team_energy bigint, replay_status integer, replay_body jsonb)
LANGUAGE plpgsql
-- A batch touches a few dozen rows by key: always index lookups in key order. Left to itself the
-- planner hashes a young table whole (it cannot see how few keys the array holds).
SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off
AS $$
DECLARE
  v_likes like_request[] := ARRAY(SELECT r FROM jsonb_populate_recordset(NULL::like_request, p_likes) r ORDER BY r.n);
  v_answered integer[] := '{}';
  l like_request;
  v_prior record;
  v_version integer;
  v_sharer_team uuid;
  v_teammate boolean;
  v_liked boolean;
  v_given integer;
  v_received integer;
  v_refusal text;
  v_energy integer;
  v_new boolean;
  v_sharer_energy bigint;
  v_team_energy bigint;
  -- The balances this batch moves, read once under lock and written once at the end: a row
  -- updated again in one transaction costs a new version, two histogram moves and its foreign
  -- keys checked again, each time.
  v_sharer_keys text[];
  v_sharer_campaigns uuid[];
  v_sharer_users uuid[];
  v_sharer_energies bigint[];
  v_team_ids uuid[];
  v_team_energies bigint[];
  v_sharer_before bigint[];
  v_team_before bigint[];
  v_i integer;
  -- The likes that went through, in order, with what each credited and to which team.
  v_done like_request[] := '{}';
  v_done_energy integer[] := '{}';
  v_done_new boolean[] := '{}';
  v_done_team uuid[] := '{}';
  v_d integer;
BEGIN
  -- Keys: a key already stored answers its replay (or, sent with another request, its refusal) and
  -- its like is not run. The caller never puts one key twice in a batch.
  FOR l IN SELECT * FROM unnest(v_likes) x WHERE x.idempotency_key IS NOT NULL ORDER BY x.liker_id, x.idempotency_key LOOP
    INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at)
      VALUES (l.liker_id, l.idempotency_key, l.fingerprint, l.at) ON CONFLICT DO NOTHING;
    CONTINUE WHEN FOUND;
    SELECT k.fingerprint, k.status_code, k.body INTO v_prior
      FROM idempotency_keys k WHERE k.user_id = l.liker_id AND k.key = l.idempotency_key;
    v_answered := v_answered || l.n;
    IF v_prior.fingerprint IS DISTINCT FROM l.fingerprint OR v_prior.status_code IS NULL THEN
      RETURN QUERY SELECT l.n, 'refused'::text, 'IDEMPOTENCY_KEY_REUSED'::text, NULL::integer, NULL::boolean, NULL::bigint, NULL::bigint, NULL::integer, NULL::jsonb;
    ELSE
      RETURN QUERY SELECT l.n, 'replayed'::text, NULL::text, NULL::integer, NULL::boolean, NULL::bigint, NULL::bigint, v_prior.status_code, v_prior.body;
    END IF;
  END LOOP;
  v_likes := ARRAY(SELECT x FROM unnest(v_likes) x WHERE x.n <> ALL (v_answered) ORDER BY x.n);

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

  FOREACH l IN ARRAY v_likes LOOP
    -- The refusals come in the order of likeBlockedBy (like-rules.ts), so the landing's
    -- "can I like?" and the like agree.
    SELECT c.rules_version, tm.team_id,
           EXISTS (SELECT 1 FROM team_members m WHERE m.campaign_id = l.campaign_id AND m.user_id = l.liker_id AND m.team_id = tm.team_id),
           EXISTS (SELECT 1 FROM likes k WHERE k.campaign_id = l.campaign_id AND k.liker_id = l.liker_id AND k.sharer_id = l.sharer_id AND k.day = l.day),
           (SELECT d.count FROM daily_like_counts d WHERE d.campaign_id = l.campaign_id AND d.user_id = l.liker_id AND d.day = l.day AND d.direction = 'given'),
           (SELECT d.count FROM daily_like_counts d WHERE d.campaign_id = l.campaign_id AND d.user_id = l.sharer_id AND d.day = l.day AND d.direction = 'received')
      INTO v_version, v_sharer_team, v_teammate, v_liked, v_given, v_received
      FROM campaigns c LEFT JOIN team_members tm ON tm.campaign_id = c.id AND tm.user_id = l.sharer_id
      WHERE c.id = l.campaign_id;
    v_refusal := CASE
      WHEN v_version IS DISTINCT FROM l.rules_version THEN 'STALE_CAMPAIGN'
      WHEN l.liker_id = l.sharer_id THEN 'SELF_LIKE'
      WHEN NOT l.teammates_allowed AND v_teammate THEN 'TEAMMATE_LIKE'
      WHEN v_liked THEN 'ALREADY_LIKED'
      WHEN v_given >= l.daily_cap THEN 'DAILY_LIKE_CAP'
      WHEN l.sharer_cap IS NOT NULL AND v_received >= l.sharer_cap THEN 'SHARER_DAILY_CAP'
    END;
    IF v_refusal IS NOT NULL THEN
      IF l.idempotency_key IS NOT NULL THEN
        DELETE FROM idempotency_keys k WHERE k.user_id = l.liker_id AND k.key = l.idempotency_key;
      END IF;
      RETURN QUERY SELECT l.n, 'refused'::text, v_refusal, NULL::integer, NULL::boolean, NULL::bigint, NULL::bigint, NULL::integer, NULL::jsonb;
      CONTINUE;
    END IF;

    WITH mark AS (
      UPDATE users u SET first_liked_at = l.at WHERE u.id = l.liker_id AND u.first_liked_at IS NULL RETURNING true AS new
    ), amount AS (
      SELECT EXISTS (SELECT 1 FROM mark) AS new
    ), liked AS (
      INSERT INTO likes (campaign_id, share_id, sharer_id, liker_id, team_id, day, energy, created_at)
        SELECT l.campaign_id, l.share_id, l.sharer_id, l.liker_id, v_sharer_team, l.day,
               CASE WHEN a.new THEN l.new_liker_energy ELSE l.like_energy END, l.at
        FROM amount a
        RETURNING id, likes.energy
    ), counted AS (
      -- Both rows exist (created above); an upsert is how to reach each by its whole key.
      INSERT INTO daily_like_counts AS d (campaign_id, user_id, day, direction, count)
        SELECT l.campaign_id, v.user_id, l.day, v.direction, 1
        FROM (VALUES (l.liker_id, 'given'), (l.sharer_id, 'received')) AS v (user_id, direction)
        WHERE v.direction = 'given' OR l.sharer_cap IS NOT NULL
        ON CONFLICT (campaign_id, user_id, day, direction) DO UPDATE SET count = d.count + 1
    ), credited AS (
      INSERT INTO energy_ledger (campaign_id, user_id, team_id, amount, reason, like_id, created_at)
        SELECT l.campaign_id, l.sharer_id, v_sharer_team, k.energy,
               CASE WHEN a.new THEN 'new_liker_like' ELSE 'like' END, k.id, l.at
        FROM liked k, amount a
    )
    SELECT k.energy, a.new INTO v_energy, v_new FROM liked k, amount a;
    v_done := v_done || l;
    v_done_energy := v_done_energy || v_energy;
    v_done_new := v_done_new || v_new;
    v_done_team := v_done_team || v_sharer_team;
  END LOOP;

  -- The balances last, so a hot sharer's and team's rows are held only for these few statements
  -- and the commit, not for the whole batch: the like rows above wait on nobody (a like's unique
  -- entry is guarded by the liker's counter, which this batch holds).
  INSERT INTO participants (campaign_id, user_id, energy)
    SELECT DISTINCT x.campaign_id, x.sharer_id, 0 FROM unnest(v_done) x
    ORDER BY 1, 2
    ON CONFLICT DO NOTHING;
  SELECT array_agg(b.campaign_id::text || b.user_id::text), array_agg(b.campaign_id), array_agg(b.user_id), array_agg(b.energy)
    INTO v_sharer_keys, v_sharer_campaigns, v_sharer_users, v_sharer_energies
    FROM (SELECT p.campaign_id, p.user_id, p.energy
          FROM (SELECT DISTINCT x.campaign_id, x.sharer_id FROM unnest(v_done) x) k
          JOIN participants p ON p.campaign_id = k.campaign_id AND p.user_id = k.sharer_id
          ORDER BY p.campaign_id, p.user_id FOR NO KEY UPDATE OF p) b;
  v_sharer_before := v_sharer_energies;
  SELECT coalesce(array_agg(b.id), '{}'), coalesce(array_agg(b.energy), '{}') INTO v_team_ids, v_team_energies
    FROM (SELECT t.id, t.energy FROM teams t
          WHERE t.id = ANY (ARRAY(SELECT DISTINCT u.id FROM unnest(v_done_team) u (id) WHERE u.id IS NOT NULL))
          ORDER BY t.id FOR NO KEY UPDATE OF t) b;
  v_team_before := v_team_energies;

  -- Each like's answer: the balances right after it, as if the batch's likes had run one by one.
  FOR v_d IN 1 .. coalesce(cardinality(v_done), 0) LOOP
    l := v_done[v_d];
    v_i := array_position(v_sharer_keys, l.campaign_id::text || l.sharer_id::text);
    v_sharer_energies[v_i] := v_sharer_energies[v_i] + v_done_energy[v_d];
    v_sharer_energy := v_sharer_energies[v_i];
    v_team_energy := NULL;
    IF v_done_team[v_d] IS NOT NULL THEN
      v_i := array_position(v_team_ids, v_done_team[v_d]);
      v_team_energies[v_i] := v_team_energies[v_i] + v_done_energy[v_d];
      v_team_energy := v_team_energies[v_i];
    END IF;
    IF l.idempotency_key IS NOT NULL THEN
      UPDATE idempotency_keys k SET status_code = 200, body = jsonb_build_object(
        'energy', v_done_energy[v_d], 'newLikerBonus', v_done_new[v_d], 'sharerEnergy', v_sharer_energy, 'teamEnergy', v_team_energy)
        WHERE k.user_id = l.liker_id AND k.key = l.idempotency_key;
    END IF;
    RETURN QUERY SELECT l.n, 'liked'::text, NULL::text, v_done_energy[v_d], v_done_new[v_d], v_sharer_energy, v_team_energy, NULL::integer, NULL::jsonb;
  END LOOP;

  -- Each balance that moved, written once, by its whole key (a join from the arrays lets the
  -- planner pick the leaderboard index and filter a campaign's rows).
  FOR v_i IN 1 .. coalesce(cardinality(v_sharer_users), 0) LOOP
    CONTINUE WHEN v_sharer_energies[v_i] = v_sharer_before[v_i];
    UPDATE participants p SET energy = v_sharer_energies[v_i]
      WHERE p.campaign_id = v_sharer_campaigns[v_i] AND p.user_id = v_sharer_users[v_i];
  END LOOP;
  FOR v_i IN 1 .. cardinality(v_team_ids) LOOP
    CONTINUE WHEN v_team_energies[v_i] = v_team_before[v_i];
    UPDATE teams t SET energy = v_team_energies[v_i] WHERE t.id = v_team_ids[v_i];
  END LOOP;
END;
$$;
