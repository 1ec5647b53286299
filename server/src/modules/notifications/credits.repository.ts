import { and, eq, gt, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { subscribeCredits } from '../../db/schema/index.js';

/** One acceptance of a one-time template in the mini-program: one more message of it may be sent. */
export async function grantCredit(ex: Executor, userId: string, templateKey: string, at: Date): Promise<number> {
  const [row] = await ex
    .insert(subscribeCredits)
    .values({ userId, templateKey, credits: 1, updatedAt: at })
    .onConflictDoUpdate({
      target: [subscribeCredits.userId, subscribeCredits.templateKey],
      set: { credits: sql`${subscribeCredits.credits} + 1`, updatedAt: at },
    })
    .returning({ credits: subscribeCredits.credits });
  return row!.credits;
}

/**
 * Spend one credit if there is one. A guarded UPDATE, so two senders racing for the last credit
 * cannot both win: the loser's WHERE no longer matches and it gets false.
 */
export async function spendCredit(ex: Executor, userId: string, templateKey: string, at: Date): Promise<boolean> {
  const rows = await ex
    .update(subscribeCredits)
    .set({ credits: sql`${subscribeCredits.credits} - 1`, updatedAt: at })
    .where(and(eq(subscribeCredits.userId, userId), eq(subscribeCredits.templateKey, templateKey), gt(subscribeCredits.credits, 0)))
    .returning({ credits: subscribeCredits.credits });
  return rows.length === 1;
}

/** A credit spent on a send the platform then refused before delivering (never for a lost answer: it may have gone out). */
export async function returnCredit(ex: Executor, userId: string, templateKey: string, at: Date): Promise<void> {
  await grantCredit(ex, userId, templateKey, at);
}

export async function creditsOf(ex: Executor, userId: string): Promise<Record<string, number>> {
  const rows = await ex.select().from(subscribeCredits).where(eq(subscribeCredits.userId, userId));
  return Object.fromEntries(rows.map((r) => [r.templateKey, r.credits]));
}

