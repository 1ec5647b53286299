CREATE TABLE "ledger_sums" (
	"campaign_id" uuid NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"total" bigint NOT NULL,
	CONSTRAINT "ledger_sums_campaign_id_subject_kind_subject_id_pk" PRIMARY KEY("campaign_id","subject_kind","subject_id")
);
--> statement-breakpoint
CREATE TABLE "ledger_sums_horizon" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"folded_upto" bigint DEFAULT 0 NOT NULL,
	"pending_upto" bigint,
	"pending_xmax" bigint,
	CONSTRAINT "ledger_sums_horizon_one_row" CHECK ("ledger_sums_horizon"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "ledger_sums" ADD CONSTRAINT "ledger_sums_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;