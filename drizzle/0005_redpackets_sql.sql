-- Red packets, their settlements and their payout attempts are the money's history: rows are
-- only ever added (a stuck payout is followed by a new attempt, never edited). The budget row is
-- the one kept balance, moved only by the guarded decrement in the same transaction as each row.
CREATE OR REPLACE FUNCTION jizan_refuse_history_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['red_packets', 'red_packet_settlements', 'red_packet_payout_attempts'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION jizan_refuse_history_change()', t || '_append_only', t);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION jizan_refuse_history_change()', t || '_no_truncate', t);
  END LOOP;
END;
$$;
