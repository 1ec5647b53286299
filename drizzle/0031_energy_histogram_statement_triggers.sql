-- The histogram's moves are written once per statement instead of once per row. A row trigger
-- called PL/pgSQL and ran an INSERT for every balance a statement moved: a batch of 19 likes moved
-- 38 balances, so 38 calls and 76 move rows: 4.2 of a like's 24 WAL records (bench-results/README.md,
-- "Where the like's idle time is"). A statement trigger sees the rows it moved as transition
-- tables and appends their sum per energy: a balance leaving 110 and another reaching 110 cancel
-- out, and a bulk load of a million participants appends one row per distinct energy. The moves
-- still mean the same (their deltas summed per campaign, board and energy), so energy_rank, the
-- compaction and findHistogramDrift read them unchanged.
DROP TRIGGER participants_energy_histogram_insert ON participants;
--> statement-breakpoint
DROP TRIGGER participants_energy_histogram_update ON participants;
--> statement-breakpoint
DROP TRIGGER participants_energy_histogram_delete ON participants;
--> statement-breakpoint
DROP TRIGGER teams_energy_histogram_insert ON teams;
--> statement-breakpoint
DROP TRIGGER teams_energy_histogram_update ON teams;
--> statement-breakpoint
DROP TRIGGER teams_energy_histogram_delete ON teams;
--> statement-breakpoint
DROP FUNCTION jizan_energy_histogram_move();
--> statement-breakpoint
-- −1 at each old energy and +1 at each new one, zero and below not counted (rank at zero = 1 +
-- everyone above it), summed per energy; an update that moved no energy (a team's seats, a name)
-- sums to nothing and appends nothing. TG_ARGV[0] names the board.
CREATE FUNCTION jizan_energy_histogram_moves() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO energy_histogram_moves (campaign_id, board, energy, delta)
      SELECT n.campaign_id, TG_ARGV[0], n.energy, count(*) FROM new_rows n WHERE n.energy > 0 GROUP BY n.campaign_id, n.energy;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO energy_histogram_moves (campaign_id, board, energy, delta)
      SELECT o.campaign_id, TG_ARGV[0], o.energy, -count(*) FROM old_rows o WHERE o.energy > 0 GROUP BY o.campaign_id, o.energy;
  ELSE
    INSERT INTO energy_histogram_moves (campaign_id, board, energy, delta)
      SELECT m.campaign_id, TG_ARGV[0], m.energy, sum(m.delta)
      FROM (SELECT o.campaign_id, o.energy, -1 AS delta FROM old_rows o WHERE o.energy > 0
            UNION ALL
            SELECT n.campaign_id, n.energy, 1 FROM new_rows n WHERE n.energy > 0) m
      GROUP BY m.campaign_id, m.energy
      HAVING sum(m.delta) <> 0;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- A trigger with transition tables may name no columns (UPDATE OF energy), so the update trigger
-- fires on every update of the table; the sum above is what skips the ones that moved nothing.
-- The same three triggers on both boards' tables.
DO $$
DECLARE
  b record;
BEGIN
  FOR b IN SELECT * FROM (VALUES ('participants', 'user'), ('teams', 'team')) AS v (tbl, board) LOOP
    EXECUTE format('CREATE TRIGGER %1$s_energy_histogram_insert AFTER INSERT ON %1$I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION jizan_energy_histogram_moves(%2$L)', b.tbl, b.board);
    EXECUTE format('CREATE TRIGGER %1$s_energy_histogram_update AFTER UPDATE ON %1$I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION jizan_energy_histogram_moves(%2$L)', b.tbl, b.board);
    EXECUTE format('CREATE TRIGGER %1$s_energy_histogram_delete AFTER DELETE ON %1$I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION jizan_energy_histogram_moves(%2$L)', b.tbl, b.board);
  END LOOP;
END;
$$;
