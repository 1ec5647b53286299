CREATE TABLE "coupon_ledger" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"coupon_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"event" text NOT NULL,
	"order_id" uuid,
	"amount" integer NOT NULL,
	"budget_delta" integer NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coupon_ledger_event_check" CHECK ("coupon_ledger"."event" in ('issued', 'redeemed', 'returned', 'expired')),
	CONSTRAINT "coupon_ledger_amounts_check" CHECK ("coupon_ledger"."amount" > 0 and case "coupon_ledger"."event"
        when 'redeemed' then "coupon_ledger"."budget_delta" = -"coupon_ledger"."amount" and "coupon_ledger"."order_id" is not null
        when 'returned' then "coupon_ledger"."budget_delta" = "coupon_ledger"."amount" and "coupon_ledger"."order_id" is not null
        else "coupon_ledger"."budget_delta" = 0 end)
);
--> statement-breakpoint
CREATE TABLE "coupons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"tier" integer NOT NULL,
	"amount_off" integer NOT NULL,
	"min_spend" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'available' NOT NULL,
	"order_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coupons_status_check" CHECK ("coupons"."status" in ('available', 'redeemed', 'expired')),
	CONSTRAINT "coupons_amounts_check" CHECK ("coupons"."amount_off" > 0 and "coupons"."min_spend" >= 0),
	CONSTRAINT "coupons_order_check" CHECK (("coupons"."status" = 'redeemed') = ("coupons"."order_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "coupon_ledger" ADD CONSTRAINT "coupon_ledger_coupon_id_coupons_id_fk" FOREIGN KEY ("coupon_id") REFERENCES "public"."coupons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_ledger" ADD CONSTRAINT "coupon_ledger_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_ledger" ADD CONSTRAINT "coupon_ledger_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "coupon_ledger_issued_once" ON "coupon_ledger" USING btree ("coupon_id") WHERE event = 'issued';--> statement-breakpoint
CREATE UNIQUE INDEX "coupon_ledger_expired_once" ON "coupon_ledger" USING btree ("coupon_id") WHERE event = 'expired';--> statement-breakpoint
CREATE UNIQUE INDEX "coupon_ledger_order_event" ON "coupon_ledger" USING btree ("order_id","event") WHERE order_id is not null;--> statement-breakpoint
CREATE INDEX "coupon_ledger_coupon_idx" ON "coupon_ledger" USING btree ("coupon_id","id");--> statement-breakpoint
CREATE INDEX "coupon_ledger_campaign_idx" ON "coupon_ledger" USING btree ("campaign_id","event");--> statement-breakpoint
CREATE UNIQUE INDEX "coupons_one_per_tier" ON "coupons" USING btree ("campaign_id","user_id","tier");--> statement-breakpoint
CREATE UNIQUE INDEX "coupons_order_key" ON "coupons" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "coupons_user_idx" ON "coupons" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "coupons_due_idx" ON "coupons" USING btree ("expires_at") WHERE "coupons"."status" = 'available';--> statement-breakpoint
-- The coupon ledger is the coupons' history: rows are only ever added (jizan_refuse_history_change is 0005's).
CREATE TRIGGER coupon_ledger_append_only BEFORE UPDATE OR DELETE ON coupon_ledger FOR EACH ROW EXECUTE FUNCTION jizan_refuse_history_change();
--> statement-breakpoint
CREATE TRIGGER coupon_ledger_no_truncate BEFORE TRUNCATE ON coupon_ledger FOR EACH STATEMENT EXECUTE FUNCTION jizan_refuse_history_change();
