CREATE TABLE "red_packet_budget_returns" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"red_packet_id" bigint NOT NULL,
	"campaign_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "red_packet_budget_returns_red_packet_id_unique" UNIQUE("red_packet_id"),
	CONSTRAINT "red_packet_budget_returns_amount_check" CHECK ("red_packet_budget_returns"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "red_packet_reviews" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"red_packet_id" bigint NOT NULL,
	"decision" text NOT NULL,
	"reason" text NOT NULL,
	"operator_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "red_packet_transfers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"red_packet_id" bigint NOT NULL,
	"out_bill_no" text NOT NULL,
	"state" text DEFAULT 'transferring' NOT NULL,
	"provider" text NOT NULL,
	"transfer_bill_no" text,
	"package_info" text,
	"fail_reason" text,
	"confirm_by" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "red_packet_transfers_out_bill_no_unique" UNIQUE("out_bill_no")
);
--> statement-breakpoint
ALTER TABLE "red_packets" ADD COLUMN "hold_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "red_packet_budget_returns" ADD CONSTRAINT "red_packet_budget_returns_red_packet_id_red_packets_id_fk" FOREIGN KEY ("red_packet_id") REFERENCES "public"."red_packets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "red_packet_budget_returns" ADD CONSTRAINT "red_packet_budget_returns_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "red_packet_reviews" ADD CONSTRAINT "red_packet_reviews_red_packet_id_red_packets_id_fk" FOREIGN KEY ("red_packet_id") REFERENCES "public"."red_packets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "red_packet_transfers" ADD CONSTRAINT "red_packet_transfers_red_packet_id_red_packets_id_fk" FOREIGN KEY ("red_packet_id") REFERENCES "public"."red_packets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "red_packet_reviews_one_decision" ON "red_packet_reviews" USING btree ("red_packet_id","decision");--> statement-breakpoint
CREATE INDEX "red_packet_reviews_decision_idx" ON "red_packet_reviews" USING btree ("decision","red_packet_id");--> statement-breakpoint
CREATE UNIQUE INDEX "red_packet_transfers_one_live" ON "red_packet_transfers" USING btree ("red_packet_id") WHERE state <> 'cancelled';--> statement-breakpoint
CREATE INDEX "red_packet_transfers_open_idx" ON "red_packet_transfers" USING btree ("state","updated_at") WHERE state in ('transferring', 'wait_user_confirm', 'cancelling');--> statement-breakpoint
CREATE INDEX "red_packets_hold_idx" ON "red_packets" USING btree ("hold_until","id");