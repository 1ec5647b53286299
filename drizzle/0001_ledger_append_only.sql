-- The energy ledger is the source of truth for every balance: rows are only ever added.
-- Corrections are new rows, never edits, so a refused UPDATE/DELETE/TRUNCATE is a bug caught early.
CREATE OR REPLACE FUNCTION jizan_refuse_ledger_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'energy_ledger is append-only: % refused', TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER energy_ledger_append_only
  BEFORE UPDATE OR DELETE ON energy_ledger
  FOR EACH ROW EXECUTE FUNCTION jizan_refuse_ledger_change();
--> statement-breakpoint
CREATE TRIGGER energy_ledger_no_truncate
  BEFORE TRUNCATE ON energy_ledger
  FOR EACH STATEMENT EXECUTE FUNCTION jizan_refuse_ledger_change();
