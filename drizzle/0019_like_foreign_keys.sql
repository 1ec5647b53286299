-- The like's last two foreign keys, for the reason 0015 gave for the others: each was checked once
-- per like with a row lock (a WAL record) on the liker's user row and on the like just inserted,
-- rows like_shares has itself just read or written. Users and likes are never deleted.
ALTER TABLE "likes" DROP CONSTRAINT "likes_liker_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "energy_ledger" DROP CONSTRAINT "energy_ledger_like_id_likes_id_fk";
