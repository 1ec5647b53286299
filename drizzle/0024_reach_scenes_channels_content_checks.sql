CREATE TABLE "avatar_checks" (
	"trace_id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"avatar_url" text NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"suggest" text,
	"label" integer,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "share_scenes" (
	"scene" text PRIMARY KEY NOT NULL,
	"share_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "share_scenes_share_id_unique" UNIQUE("share_id")
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "pending_nickname" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "pending_avatar_url" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "avatar_hidden_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "pending_name" text;--> statement-breakpoint
ALTER TABLE "share_opens" ADD COLUMN "channel" text DEFAULT 'card' NOT NULL;--> statement-breakpoint
ALTER TABLE "insights_hourly" ADD COLUMN "poster_opens" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "insights_hourly" ADD COLUMN "moments_opens" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "insights_users" ADD COLUMN "first_open_channel" text;--> statement-breakpoint
ALTER TABLE "avatar_checks" ADD CONSTRAINT "avatar_checks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_scenes" ADD CONSTRAINT "share_scenes_share_id_shares_id_fk" FOREIGN KEY ("share_id") REFERENCES "public"."shares"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "avatar_checks_user_idx" ON "avatar_checks" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "users_pending_review_idx" ON "users" USING btree ("id") WHERE "users"."pending_nickname" is not null or "users"."pending_avatar_url" is not null;--> statement-breakpoint
CREATE INDEX "teams_pending_name_idx" ON "teams" USING btree ("id") WHERE "teams"."pending_name" is not null;--> statement-breakpoint
ALTER TABLE "share_opens" ADD CONSTRAINT "share_opens_channel_check" CHECK ("share_opens"."channel" in ('card', 'poster', 'moments'));