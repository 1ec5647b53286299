CREATE TABLE "energy_histogram" (
	"campaign_id" uuid NOT NULL,
	"board" text NOT NULL,
	"energy" bigint NOT NULL,
	"holders" bigint NOT NULL,
	CONSTRAINT "energy_histogram_campaign_id_board_energy_pk" PRIMARY KEY("campaign_id","board","energy"),
	CONSTRAINT "energy_histogram_board_check" CHECK ("energy_histogram"."board" in ('user', 'team'))
);
--> statement-breakpoint
CREATE TABLE "energy_histogram_buckets" (
	"campaign_id" uuid NOT NULL,
	"board" text NOT NULL,
	"bucket" bigint NOT NULL,
	"holders" bigint NOT NULL,
	CONSTRAINT "energy_histogram_buckets_campaign_id_board_bucket_pk" PRIMARY KEY("campaign_id","board","bucket"),
	CONSTRAINT "energy_histogram_buckets_board_check" CHECK ("energy_histogram_buckets"."board" in ('user', 'team'))
);
--> statement-breakpoint
CREATE TABLE "energy_histogram_moves" (
	"campaign_id" uuid NOT NULL,
	"board" text NOT NULL,
	"energy" bigint NOT NULL,
	"delta" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "rules_version" integer DEFAULT 1 NOT NULL;