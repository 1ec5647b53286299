CREATE TABLE "payment_anomalies" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"kind" text NOT NULL,
	"out_trade_no" text NOT NULL,
	"transaction_id" text NOT NULL,
	"order_id" uuid,
	"amount" integer NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_anomalies_kind_check" CHECK ("payment_anomalies"."kind" in ('unknown_order', 'amount_mismatch', 'payer_mismatch'))
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "payment_checked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payment_anomalies" ADD CONSTRAINT "payment_anomalies_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "payment_anomalies_key" ON "payment_anomalies" USING btree ("provider","transaction_id","kind");--> statement-breakpoint
CREATE INDEX "payment_anomalies_created_idx" ON "payment_anomalies" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "orders_unpaid_checked_idx" ON "orders" USING btree ("payment_checked_at" NULLS FIRST,"created_at") WHERE "orders"."status" = 'pending_payment';--> statement-breakpoint
-- Anomalies are evidence of money we did not take: added, never edited (as payments and refunds, 0003).
CREATE TRIGGER payment_anomalies_append_only
  BEFORE UPDATE OR DELETE ON payment_anomalies
  FOR EACH ROW EXECUTE FUNCTION jizan_refuse_append_only_change();
--> statement-breakpoint
CREATE TRIGGER payment_anomalies_no_truncate
  BEFORE TRUNCATE ON payment_anomalies
  FOR EACH STATEMENT EXECUTE FUNCTION jizan_refuse_append_only_change();
