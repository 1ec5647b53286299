CREATE TABLE "red_packet_budgets" (
	"campaign_id" uuid PRIMARY KEY NOT NULL,
	"budget" bigint NOT NULL,
	"remaining" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "red_packet_budgets_remaining_check" CHECK ("red_packet_budgets"."remaining" >= 0 and "red_packet_budgets"."remaining" <= "red_packet_budgets"."budget")
);
--> statement-breakpoint
CREATE TABLE "red_packet_payout_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"red_packet_id" bigint NOT NULL,
	"status" text NOT NULL,
	"provider" text NOT NULL,
	"reference" text,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "red_packet_settlements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"pool_rule" bigint NOT NULL,
	"pool" bigint NOT NULL,
	"paid" bigint NOT NULL,
	"teams" integer NOT NULL,
	"energy" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "red_packet_settlements_campaign_id_unique" UNIQUE("campaign_id"),
	CONSTRAINT "red_packet_settlements_amounts_check" CHECK (0 <= "red_packet_settlements"."paid" and "red_packet_settlements"."paid" <= "red_packet_settlements"."pool" and "red_packet_settlements"."pool" <= "red_packet_settlements"."pool_rule")
);
--> statement-breakpoint
CREATE TABLE "red_packets" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"payout_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"tier" integer,
	"energy" bigint NOT NULL,
	"settlement_id" uuid,
	"team_id" uuid,
	"amount" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "red_packets_payout_id_unique" UNIQUE("payout_id"),
	CONSTRAINT "red_packets_amount_check" CHECK ("red_packets"."amount" > 0),
	CONSTRAINT "red_packets_kind_check" CHECK ((kind = 'tier' and tier is not null and settlement_id is null)
       or (kind = 'pool' and tier is null and settlement_id is not null and team_id is not null))
);
--> statement-breakpoint
ALTER TABLE "red_packet_budgets" ADD CONSTRAINT "red_packet_budgets_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "red_packet_payout_attempts" ADD CONSTRAINT "red_packet_payout_attempts_red_packet_id_red_packets_id_fk" FOREIGN KEY ("red_packet_id") REFERENCES "public"."red_packets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "red_packet_settlements" ADD CONSTRAINT "red_packet_settlements_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "red_packets" ADD CONSTRAINT "red_packets_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "red_packets" ADD CONSTRAINT "red_packets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "red_packets" ADD CONSTRAINT "red_packets_settlement_id_red_packet_settlements_id_fk" FOREIGN KEY ("settlement_id") REFERENCES "public"."red_packet_settlements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "red_packets" ADD CONSTRAINT "red_packets_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "red_packet_payout_attempts_packet_idx" ON "red_packet_payout_attempts" USING btree ("red_packet_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "red_packet_payout_attempts_one_success" ON "red_packet_payout_attempts" USING btree ("red_packet_id") WHERE status = 'succeeded';--> statement-breakpoint
CREATE UNIQUE INDEX "red_packets_one_per_tier" ON "red_packets" USING btree ("campaign_id","user_id","tier") WHERE kind = 'tier';--> statement-breakpoint
CREATE UNIQUE INDEX "red_packets_one_pool_share" ON "red_packets" USING btree ("campaign_id","user_id") WHERE kind = 'pool';--> statement-breakpoint
CREATE INDEX "red_packets_user_idx" ON "red_packets" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "red_packets_campaign_idx" ON "red_packets" USING btree ("campaign_id","id");