CREATE TABLE "insights_hourly" (
	"campaign_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"likes" integer NOT NULL,
	"new_participants" integer NOT NULL,
	"shares" integer NOT NULL,
	"opens" integer NOT NULL,
	CONSTRAINT "insights_hourly_campaign_id_hour_pk" PRIMARY KEY("campaign_id","hour")
);
--> statement-breakpoint
CREATE TABLE "insights_users" (
	"campaign_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"first_action_at" timestamp with time zone NOT NULL,
	"first_open_at" timestamp with time zone,
	"first_like_at" timestamp with time zone,
	"first_join_at" timestamp with time zone,
	"first_order_at" timestamp with time zone,
	"first_paid_at" timestamp with time zone,
	"active_days" date[] NOT NULL,
	CONSTRAINT "insights_users_campaign_id_user_id_pk" PRIMARY KEY("campaign_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "insights_watermarks" (
	"campaign_id" uuid PRIMARY KEY NOT NULL,
	"upto" timestamp with time zone NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "insights_hourly" ADD CONSTRAINT "insights_hourly_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insights_users" ADD CONSTRAINT "insights_users_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insights_users" ADD CONSTRAINT "insights_users_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insights_watermarks" ADD CONSTRAINT "insights_watermarks_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "insights_users_open_idx" ON "insights_users" USING btree ("campaign_id","first_open_at");--> statement-breakpoint
CREATE INDEX "share_opens_opened_brin" ON "share_opens" USING brin ("opened_at");--> statement-breakpoint
CREATE INDEX "likes_created_brin" ON "likes" USING brin ("created_at");