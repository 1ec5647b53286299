ALTER TABLE "daily_like_counts" DROP CONSTRAINT "daily_like_counts_campaign_id_campaigns_id_fk";
--> statement-breakpoint
ALTER TABLE "daily_like_counts" DROP CONSTRAINT "daily_like_counts_user_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "likes" DROP CONSTRAINT "likes_campaign_id_campaigns_id_fk";
--> statement-breakpoint
ALTER TABLE "likes" DROP CONSTRAINT "likes_share_id_shares_id_fk";
--> statement-breakpoint
ALTER TABLE "likes" DROP CONSTRAINT "likes_sharer_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "likes" DROP CONSTRAINT "likes_team_id_teams_id_fk";
--> statement-breakpoint
ALTER TABLE "energy_ledger" DROP CONSTRAINT "energy_ledger_campaign_id_campaigns_id_fk";
--> statement-breakpoint
ALTER TABLE "energy_ledger" DROP CONSTRAINT "energy_ledger_user_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "energy_ledger" DROP CONSTRAINT "energy_ledger_team_id_teams_id_fk";
