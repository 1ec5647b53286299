-- Every balance move of a participant or a team is appended to energy_histogram_moves by the
-- transaction that makes it (the like statement, a group-buy credit, a bulk load alike): −1 at the
-- old energy, +1 at the new one, zero and below not counted (rank at zero = 1 + everyone above it).
-- Row triggers with WHEN clauses, so an update that does not move the energy (a team's seats)
-- costs no call at all.
CREATE OR REPLACE FUNCTION jizan_energy_histogram_move() RETURNS trigger AS $$
BEGIN
  INSERT INTO energy_histogram_moves (campaign_id, board, energy, delta)
    SELECT v.campaign_id, TG_ARGV[0], v.energy, v.delta
    FROM (VALUES
      (CASE WHEN TG_OP <> 'INSERT' THEN OLD.campaign_id END, CASE WHEN TG_OP <> 'INSERT' THEN OLD.energy END, -1),
      (CASE WHEN TG_OP <> 'DELETE' THEN NEW.campaign_id END, CASE WHEN TG_OP <> 'DELETE' THEN NEW.energy END, 1)
    ) AS v (campaign_id, energy, delta)
    WHERE v.energy > 0;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER participants_energy_histogram_insert AFTER INSERT ON participants
  FOR EACH ROW WHEN (NEW.energy > 0) EXECUTE FUNCTION jizan_energy_histogram_move('user');
--> statement-breakpoint
CREATE TRIGGER participants_energy_histogram_update AFTER UPDATE OF energy ON participants
  FOR EACH ROW WHEN (OLD.energy IS DISTINCT FROM NEW.energy) EXECUTE FUNCTION jizan_energy_histogram_move('user');
--> statement-breakpoint
CREATE TRIGGER participants_energy_histogram_delete AFTER DELETE ON participants
  FOR EACH ROW WHEN (OLD.energy > 0) EXECUTE FUNCTION jizan_energy_histogram_move('user');
--> statement-breakpoint
CREATE TRIGGER teams_energy_histogram_insert AFTER INSERT ON teams
  FOR EACH ROW WHEN (NEW.energy > 0) EXECUTE FUNCTION jizan_energy_histogram_move('team');
--> statement-breakpoint
CREATE TRIGGER teams_energy_histogram_update AFTER UPDATE OF energy ON teams
  FOR EACH ROW WHEN (OLD.energy IS DISTINCT FROM NEW.energy) EXECUTE FUNCTION jizan_energy_histogram_move('team');
--> statement-breakpoint
CREATE TRIGGER teams_energy_histogram_delete AFTER DELETE ON teams
  FOR EACH ROW WHEN (OLD.energy > 0) EXECUTE FUNCTION jizan_energy_histogram_move('team');
--> statement-breakpoint
-- Folds the pending moves into energy_histogram, in one transaction, so a reader (one statement,
-- one snapshot) sees either the moves or their sum, never both or neither. One compaction at a
-- time in the whole database (another caller returns 0 at once); moves committed meanwhile wait
-- for the next one. Returns how many moves it folded.
CREATE OR REPLACE FUNCTION compact_energy_histogram() RETURNS integer AS $$
DECLARE
  v_moved integer;
BEGIN
  IF NOT pg_try_advisory_xact_lock(7310842552) THEN
    RETURN 0;
  END IF;
  WITH moved AS (
    DELETE FROM energy_histogram_moves RETURNING campaign_id, board, energy, delta
  ), summed AS (
    SELECT campaign_id, board, energy, sum(delta) AS delta, count(*) AS n FROM moved GROUP BY 1, 2, 3
  ), folded AS (
    INSERT INTO energy_histogram AS h (campaign_id, board, energy, holders)
      SELECT campaign_id, board, energy, delta FROM summed WHERE delta <> 0 ORDER BY 1, 2, 3
      ON CONFLICT (campaign_id, board, energy) DO UPDATE SET holders = h.holders + excluded.holders
  )
  SELECT coalesce(sum(n), 0) INTO v_moved FROM summed;
  IF v_moved > 0 THEN
    DELETE FROM energy_histogram WHERE holders = 0;
  END IF;
  RETURN v_moved;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- The balances already kept when this migration runs (the triggers above hold the tables' locks
-- until it commits, so no move slips between the two).
INSERT INTO energy_histogram (campaign_id, board, energy, holders)
  SELECT campaign_id, 'user', energy, count(*) FROM participants WHERE energy > 0 GROUP BY 1, 3;
--> statement-breakpoint
INSERT INTO energy_histogram (campaign_id, board, energy, holders)
  SELECT campaign_id, 'team', energy, count(*) FROM teams WHERE energy > 0 GROUP BY 1, 3;
--> statement-breakpoint
-- A rank on a board: 1 + the participants (or teams) of the campaign with more energy, so ties
-- share a rank (1, 2, 2, 4), the rule of rank() on the listed top rows. Sums at most one row per
-- distinct energy above, plus the moves not folded yet, in the caller's snapshot (STABLE), so a
-- compaction committing meanwhile is seen entirely or not at all.
CREATE OR REPLACE FUNCTION energy_rank(p_campaign_id uuid, p_board text, p_energy bigint) RETURNS bigint AS $$
BEGIN
  RETURN 1
    + coalesce((SELECT sum(h.holders) FROM energy_histogram h
                WHERE h.campaign_id = p_campaign_id AND h.board = p_board AND h.energy > p_energy), 0)
    + coalesce((SELECT sum(m.delta) FROM energy_histogram_moves m
                WHERE m.campaign_id = p_campaign_id AND m.board = p_board AND m.energy > p_energy), 0);
END;
$$ LANGUAGE plpgsql STABLE;
