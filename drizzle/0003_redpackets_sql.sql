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
CREATE TRIGGER red_packets_append_only
  BEFORE UPDATE OR DELETE ON red_packets
  FOR EACH ROW EXECUTE FUNCTION jizan_refuse_history_change();
--> statement-breakpoint
CREATE TRIGGER red_packets_no_truncate
  BEFORE TRUNCATE ON red_packets
  FOR EACH STATEMENT EXECUTE FUNCTION jizan_refuse_history_change();
--> statement-breakpoint
CREATE TRIGGER red_packet_settlements_append_only
  BEFORE UPDATE OR DELETE ON red_packet_settlements
  FOR EACH ROW EXECUTE FUNCTION jizan_refuse_history_change();
--> statement-breakpoint
CREATE TRIGGER red_packet_settlements_no_truncate
  BEFORE TRUNCATE ON red_packet_settlements
  FOR EACH STATEMENT EXECUTE FUNCTION jizan_refuse_history_change();
--> statement-breakpoint
CREATE TRIGGER red_packet_payout_attempts_append_only
  BEFORE UPDATE OR DELETE ON red_packet_payout_attempts
  FOR EACH ROW EXECUTE FUNCTION jizan_refuse_history_change();
--> statement-breakpoint
CREATE TRIGGER red_packet_payout_attempts_no_truncate
  BEFORE TRUNCATE ON red_packet_payout_attempts
  FOR EACH STATEMENT EXECUTE FUNCTION jizan_refuse_history_change();
