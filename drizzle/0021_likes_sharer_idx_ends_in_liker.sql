-- like_shares checks "has this liker liked this sharer today" with all four of (campaign, liker,
-- sharer, day). Its plans are generic (0018), and PostgreSQL picked this index, which stopped at
-- the day: each like then fetched every like the sharer had taken that day, so a hot sharer's
-- likes cost more and more as the day went on (300 earlier likes, 300 rows fetched). Ending the
-- index in the liker makes either index answer the check from one entry. The rebuild holds a lock
-- on likes: apply it before a campaign's storm, not during one.
DROP INDEX "likes_sharer_idx";--> statement-breakpoint
CREATE INDEX "likes_sharer_idx" ON "likes" USING btree ("campaign_id","sharer_id","day","liker_id");
