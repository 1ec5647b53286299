CREATE TABLE "energy_histogram" (
	"campaign_id" uuid NOT NULL,
	"board" text NOT NULL,
	"energy" bigint NOT NULL,
	"holders" bigint NOT NULL,
	CONSTRAINT "energy_histogram_campaign_id_board_energy_pk" PRIMARY KEY("campaign_id","board","energy"),
	CONSTRAINT "energy_histogram_board_check" CHECK ("energy_histogram"."board" in ('user', 'team'))
);
--> statement-breakpoint
CREATE TABLE "energy_histogram_moves" (
	"campaign_id" uuid NOT NULL,
	"board" text NOT NULL,
	"energy" bigint NOT NULL,
	"delta" bigint NOT NULL
);
