-- The histogram by buckets of 1024 energy, so that a rank sums about a hundred rows (the buckets
-- above, then the energies above within the caller's bucket) rather than every distinct energy
-- above. Folded from the same moves by the same compaction, in the same transaction.
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
  ), bucketed AS (
    INSERT INTO energy_histogram_buckets AS b (campaign_id, board, bucket, holders)
      SELECT campaign_id, board, energy >> 10, sum(delta) FROM summed GROUP BY 1, 2, 3 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3
      ON CONFLICT (campaign_id, board, bucket) DO UPDATE SET holders = b.holders + excluded.holders
  )
  SELECT coalesce(sum(n), 0) INTO v_moved FROM summed;
  IF v_moved > 0 THEN
    DELETE FROM energy_histogram WHERE holders = 0;
    DELETE FROM energy_histogram_buckets WHERE holders = 0;
  END IF;
  RETURN v_moved;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- 1 + everyone with more energy (ties share a rank), as before: the buckets above the caller's,
-- the energies above the caller's within its bucket, and the moves not folded yet, all in the
-- caller's snapshot.
CREATE OR REPLACE FUNCTION energy_rank(p_campaign_id uuid, p_board text, p_energy bigint) RETURNS bigint AS $$
BEGIN
  RETURN 1
    + coalesce((SELECT sum(b.holders) FROM energy_histogram_buckets b
                WHERE b.campaign_id = p_campaign_id AND b.board = p_board AND b.bucket > p_energy >> 10), 0)
    + coalesce((SELECT sum(h.holders) FROM energy_histogram h
                WHERE h.campaign_id = p_campaign_id AND h.board = p_board
                  AND h.energy > p_energy AND h.energy < ((p_energy >> 10) + 1) << 10), 0)
    + coalesce((SELECT sum(m.delta) FROM energy_histogram_moves m
                WHERE m.campaign_id = p_campaign_id AND m.board = p_board AND m.energy > p_energy), 0);
END;
$$ LANGUAGE plpgsql STABLE;
--> statement-breakpoint
-- The buckets of what is folded already, with no compaction running meanwhile.
SELECT pg_advisory_xact_lock(7310842552);
--> statement-breakpoint
INSERT INTO energy_histogram_buckets (campaign_id, board, bucket, holders)
  SELECT campaign_id, board, energy >> 10, sum(holders) FROM energy_histogram GROUP BY 1, 2, 3 HAVING sum(holders) <> 0;
