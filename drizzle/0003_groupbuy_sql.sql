-- Payments, refunds and order transitions are the record of what happened to money and orders:
-- rows are only ever added. A correction is a new row (a refund, a later transition), never an edit.
CREATE OR REPLACE FUNCTION jizan_refuse_append_only_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER payments_append_only
  BEFORE UPDATE OR DELETE ON payments
  FOR EACH ROW EXECUTE FUNCTION jizan_refuse_append_only_change();
--> statement-breakpoint
CREATE TRIGGER payments_no_truncate
  BEFORE TRUNCATE ON payments
  FOR EACH STATEMENT EXECUTE FUNCTION jizan_refuse_append_only_change();
--> statement-breakpoint
CREATE TRIGGER refunds_append_only
  BEFORE UPDATE OR DELETE ON refunds
  FOR EACH ROW EXECUTE FUNCTION jizan_refuse_append_only_change();
--> statement-breakpoint
CREATE TRIGGER refunds_no_truncate
  BEFORE TRUNCATE ON refunds
  FOR EACH STATEMENT EXECUTE FUNCTION jizan_refuse_append_only_change();
--> statement-breakpoint
CREATE TRIGGER order_transitions_append_only
  BEFORE UPDATE OR DELETE ON order_transitions
  FOR EACH ROW EXECUTE FUNCTION jizan_refuse_append_only_change();
--> statement-breakpoint
CREATE TRIGGER order_transitions_no_truncate
  BEFORE TRUNCATE ON order_transitions
  FOR EACH STATEMENT EXECUTE FUNCTION jizan_refuse_append_only_change();
