ALTER TABLE "shares" ADD COLUMN "group_id" uuid;--> statement-breakpoint
ALTER TABLE "energy_ledger" ADD COLUMN "group_id" uuid;--> statement-breakpoint
ALTER TABLE "energy_ledger" ADD COLUMN "joiner_id" uuid;--> statement-breakpoint
ALTER TABLE "shares" ADD CONSTRAINT "shares_group_id_group_buys_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."group_buys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "energy_ledger" ADD CONSTRAINT "energy_ledger_group_id_group_buys_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."group_buys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "energy_ledger" ADD CONSTRAINT "energy_ledger_joiner_id_users_id_fk" FOREIGN KEY ("joiner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "energy_ledger_group_join_once" ON "energy_ledger" USING btree ("group_id","joiner_id") WHERE "energy_ledger"."reason" = 'group_join';--> statement-breakpoint
ALTER TABLE "shares" ADD CONSTRAINT "shares_group_check" CHECK (("shares"."kind" = 'groupbuy') = ("shares"."group_id" is not null));--> statement-breakpoint
ALTER TABLE "energy_ledger" ADD CONSTRAINT "energy_ledger_reason_check" CHECK ("energy_ledger"."reason" in ('like', 'new_liker_like', 'group_join'));--> statement-breakpoint
ALTER TABLE "energy_ledger" ADD CONSTRAINT "energy_ledger_group_join_check" CHECK ("energy_ledger"."reason" <> 'group_join' or ("energy_ledger"."group_id" is not null and "energy_ledger"."joiner_id" is not null));