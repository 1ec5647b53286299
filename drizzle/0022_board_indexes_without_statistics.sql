-- The boards' indexes, so their reads and the like's balance lookups have one good plan each,
-- statistics or not (a restored or bulk-filled database has none until ANALYZE). Without them the
-- generic plan for a board's top rows sorted the whole campaign (600 ms at 1,000,000 participants)
-- because the old (campaign, energy) index did not end in the tie-breaking id, and a participant's
-- balance was looked up through that index instead of the primary key. The user board's index now
-- holds only participants with energy, which a lookup by (campaign, user) cannot use. The rebuild
-- locks participants and teams against writes: apply it before a campaign's storm, not during one.
DROP INDEX "participants_leaderboard_idx";--> statement-breakpoint
DROP INDEX "teams_leaderboard_idx";--> statement-breakpoint
CREATE INDEX "participants_board_idx" ON "participants" USING btree ("campaign_id","energy" DESC NULLS LAST,"user_id") WHERE "participants"."energy" > 0;--> statement-breakpoint
CREATE INDEX "teams_board_idx" ON "teams" USING btree ("campaign_id","energy" DESC NULLS LAST,"id");