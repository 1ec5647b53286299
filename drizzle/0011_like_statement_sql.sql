-- Instances cache campaign rows; any change to a campaign (rules, window, time zone) bumps its
-- version, and the like statement refuses to run against a cached copy of another version.
CREATE OR REPLACE FUNCTION jizan_bump_campaign_version() RETURNS trigger AS $$
BEGIN
  NEW.rules_version := OLD.rules_version + 1;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER campaigns_bump_version BEFORE UPDATE ON campaigns
  FOR EACH ROW EXECUTE FUNCTION jizan_bump_campaign_version();
--> statement-breakpoint
-- One friend's like as one statement (one round trip, run outside an explicit transaction):
-- the optional Idempotency-Key claim, the guards, both daily counters, the first-like mark, the
-- like, its ledger row and both balances. A refusal raises SQLSTATE JZ001 with the refusal's code
-- as its message, which rolls back everything the statement did (counters, mark, claim).
-- Row locks are taken in one order whoever likes whom: the key's row, the liker's `given`
-- counter, the sharer's `received` counter, the liker's user row, then the sharer's participant
-- row and team row; so two friends liking each other at once cannot deadlock.
-- Outcome 'liked' answers the totals; 'replayed' answers the body stored under the key.
CREATE OR REPLACE FUNCTION like_share(
  p_campaign_id uuid,
  p_rules_version integer,
  p_share_id uuid,
  p_sharer_id uuid,
  p_liker_id uuid,
  p_day date,
  p_at timestamptz,
  p_daily_cap integer,
  p_sharer_cap integer,
  p_teammates_allowed boolean,
  p_like_energy integer,
  p_new_liker_energy integer,
  p_idempotency_key text,
  p_fingerprint text
) RETURNS TABLE (outcome text, energy integer, new_liker boolean, sharer_energy bigint, team_energy bigint, replay_status integer, replay_body jsonb)
LANGUAGE plpgsql AS $$
DECLARE
  v_version integer;
  v_sharer_team uuid;
  v_new boolean;
  v_energy integer;
  v_like_id bigint;
  v_sharer_energy bigint;
  v_team_energy bigint;
  v_prior record;
BEGIN
  IF p_idempotency_key IS NOT NULL THEN
    -- Waits for an uncommitted claim on the same key: its commit makes this a replay, its
    -- rollback lets this one run.
    INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at)
      VALUES (p_liker_id, p_idempotency_key, p_fingerprint, p_at) ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      SELECT k.fingerprint, k.status_code, k.body INTO v_prior
        FROM idempotency_keys k WHERE k.user_id = p_liker_id AND k.key = p_idempotency_key;
      IF v_prior.fingerprint IS DISTINCT FROM p_fingerprint OR v_prior.status_code IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'JZ001', MESSAGE = 'IDEMPOTENCY_KEY_REUSED';
      END IF;
      RETURN QUERY SELECT 'replayed'::text, NULL::integer, NULL::boolean, NULL::bigint, NULL::bigint, v_prior.status_code, v_prior.body;
      RETURN;
    END IF;
  END IF;

  SELECT c.rules_version INTO v_version FROM campaigns c WHERE c.id = p_campaign_id;
  IF v_version IS DISTINCT FROM p_rules_version THEN
    RAISE EXCEPTION USING ERRCODE = 'JZ001', MESSAGE = 'STALE_CAMPAIGN';
  END IF;

  -- The refusals below come in the order of likeBlockedBy (like-rules.ts), so the landing's
  -- "can I like?" and the like agree.
  IF p_liker_id = p_sharer_id THEN
    RAISE EXCEPTION USING ERRCODE = 'JZ001', MESSAGE = 'SELF_LIKE';
  END IF;
  SELECT tm.team_id INTO v_sharer_team FROM team_members tm
    WHERE tm.campaign_id = p_campaign_id AND tm.user_id = p_sharer_id;
  IF NOT p_teammates_allowed AND v_sharer_team IS NOT NULL AND EXISTS (
    SELECT 1 FROM team_members tm
      WHERE tm.campaign_id = p_campaign_id AND tm.user_id = p_liker_id AND tm.team_id = v_sharer_team
  ) THEN
    RAISE EXCEPTION USING ERRCODE = 'JZ001', MESSAGE = 'TEAMMATE_LIKE';
  END IF;
  IF EXISTS (
    SELECT 1 FROM likes l
      WHERE l.campaign_id = p_campaign_id AND l.liker_id = p_liker_id AND l.sharer_id = p_sharer_id AND l.day = p_day
  ) THEN
    RAISE EXCEPTION USING ERRCODE = 'JZ001', MESSAGE = 'ALREADY_LIKED';
  END IF;

  -- The counter row's lock serialises one user's likes: that is what makes each cap exact.
  INSERT INTO daily_like_counts AS d (campaign_id, user_id, day, direction, count)
    VALUES (p_campaign_id, p_liker_id, p_day, 'given', 1)
    ON CONFLICT (campaign_id, user_id, day, direction) DO UPDATE SET count = d.count + 1 WHERE d.count < p_daily_cap;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'JZ001', MESSAGE = 'DAILY_LIKE_CAP';
  END IF;
  IF p_sharer_cap IS NOT NULL THEN
    INSERT INTO daily_like_counts AS d (campaign_id, user_id, day, direction, count)
      VALUES (p_campaign_id, p_sharer_id, p_day, 'received', 1)
      ON CONFLICT (campaign_id, user_id, day, direction) DO UPDATE SET count = d.count + 1 WHERE d.count < p_sharer_cap;
    IF NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'JZ001', MESSAGE = 'SHARER_DAILY_CAP';
    END IF;
  END IF;

  UPDATE users u SET first_liked_at = p_at WHERE u.id = p_liker_id AND u.first_liked_at IS NULL;
  v_new := FOUND;
  v_energy := CASE WHEN v_new THEN p_new_liker_energy ELSE p_like_energy END;

  -- The unique index is the exact once-per-sharer-per-day guard; the check above only answers early.
  INSERT INTO likes (campaign_id, share_id, sharer_id, liker_id, team_id, day, energy, created_at)
    VALUES (p_campaign_id, p_share_id, p_sharer_id, p_liker_id, v_sharer_team, p_day, v_energy, p_at)
    ON CONFLICT DO NOTHING
    RETURNING id INTO v_like_id;
  IF v_like_id IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'JZ001', MESSAGE = 'ALREADY_LIKED';
  END IF;
  INSERT INTO energy_ledger (campaign_id, user_id, team_id, amount, reason, like_id, created_at)
    VALUES (p_campaign_id, p_sharer_id, v_sharer_team, v_energy, CASE WHEN v_new THEN 'new_liker_like' ELSE 'like' END, v_like_id, p_at);
  INSERT INTO participants AS p (campaign_id, user_id, energy)
    VALUES (p_campaign_id, p_sharer_id, v_energy)
    ON CONFLICT (campaign_id, user_id) DO UPDATE SET energy = p.energy + excluded.energy
    RETURNING p.energy INTO v_sharer_energy;
  IF v_sharer_team IS NOT NULL THEN
    UPDATE teams t SET energy = t.energy + v_energy WHERE t.id = v_sharer_team RETURNING t.energy INTO v_team_energy;
  END IF;

  IF p_idempotency_key IS NOT NULL THEN
    UPDATE idempotency_keys k SET status_code = 200, body = jsonb_build_object(
      'energy', v_energy, 'newLikerBonus', v_new, 'sharerEnergy', v_sharer_energy, 'teamEnergy', v_team_energy)
      WHERE k.user_id = p_liker_id AND k.key = p_idempotency_key;
  END IF;
  RETURN QUERY SELECT 'liked'::text, v_energy, v_new, v_sharer_energy, v_team_energy, NULL::integer, NULL::jsonb;
END;
$$;
