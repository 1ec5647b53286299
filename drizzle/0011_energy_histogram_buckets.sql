CREATE TABLE "energy_histogram_buckets" (
	"campaign_id" uuid NOT NULL,
	"board" text NOT NULL,
	"bucket" bigint NOT NULL,
	"holders" bigint NOT NULL,
	CONSTRAINT "energy_histogram_buckets_campaign_id_board_bucket_pk" PRIMARY KEY("campaign_id","board","bucket"),
	CONSTRAINT "energy_histogram_buckets_board_check" CHECK ("energy_histogram_buckets"."board" in ('user', 'team'))
);
